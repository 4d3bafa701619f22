package dev.drover.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Turso server of the harness's own for one run: {@code tursodb <fresh file> --sync-server 127.0.0.1:<free port>},
 * its output in a log file next to the database. Stopped (SIGTERM, then SIGKILL) by its own process handle.
 * <p>
 * The binary is {@code DROVER_TURSODB}, else the one {@code backend-libsql/scripts/install-tursodb.sh} installs in
 * {@code ~/.cache/drover/turso-0.6.0}, else the path that script prints when run now (it needs npm).
 */
public final class TursoServerProcess implements AutoCloseable {
    static final String VERSION = "0.6.0";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Path log;
    private final int port;
    private Process process;

    private TursoServerProcess(Path binary, Path database) {
        this.log = database.resolveSibling(database.getFileName() + ".server.log");
        this.port = freePort();
        try {
            process = new ProcessBuilder(binary.toString(), database.toString(), "--sync-server", "127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
    }

    /** Starts a server on {@code database} (a file that does not exist yet) and waits until it answers. */
    public static TursoServerProcess start(Path binary, Path database) {
        TursoServerProcess server = new TursoServerProcess(binary, database);
        try {
            server.awaitAnswer();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The Drover URL of the remote mode: {@code libsql://127.0.0.1:<port>?tls=false}. */
    public String remoteUrl() {
        return "libsql://127.0.0.1:" + port + "?tls=false";
    }

    public long pid() {
        return process.pid();
    }

    /** Stops the server and waits for it to exit. Idempotent. */
    @Override
    public synchronized void close() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void awaitAnswer() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("tursodb exited at start; see " + log);
            if (answers()) return;
            try {
                Thread.sleep(20); // polling the port of a starting process: there is no event to wait for
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for tursodb to start", e);
            }
        }
        throw new IllegalStateException("tursodb did not answer on 127.0.0.1:" + port + " within 20 s; see " + log);
    }

    private boolean answers() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/pipeline"))
                            .timeout(Duration.ofSeconds(2))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"requests\":[{\"type\":\"execute\",\"stmt\":{\"sql\":\"SELECT 1\"}}]}"))
                            .header("content-type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port for tursodb: " + e.getMessage(), e);
        }
    }

    /**
     * The tursodb binary: {@code DROVER_TURSODB}, the install script's cache, or the script's output when run now.
     *
     * @throws IllegalStateException saying what was tried, when none of them gives an executable
     */
    public static Path findBinary() {
        String given = System.getenv("DROVER_TURSODB");
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given.strip());
            if (Files.isExecutable(p)) return p;
            throw new IllegalStateException("DROVER_TURSODB is " + given + ", which is not an executable file");
        }
        Path cached = Path.of(System.getProperty("user.home"), ".cache", "drover", "turso-" + VERSION, "node_modules",
                "@tursodatabase", "cli-linux-x64-gnu", "tursodb");
        if (Files.isExecutable(cached)) return cached;
        Path script = RepoPaths.root().resolve("backend-libsql/scripts/install-tursodb.sh");
        if (!Files.exists(script)) {
            throw new IllegalStateException("no tursodb: DROVER_TURSODB is not set, " + cached + " is missing, and the install script "
                    + script + " is not there (run the harness from the repository)");
        }
        try {
            Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int code = p.waitFor();
            String last = out.isEmpty() ? "" : out.lines().reduce((a, b) -> b).orElse("");
            if (code == 0 && !last.isEmpty() && Files.isExecutable(Path.of(last))) return Path.of(last);
            throw new IllegalStateException("no tursodb: DROVER_TURSODB is not set, " + cached + " is missing, and " + script
                    + " could not install it (exit " + code + "; it needs npm and the npm registry)");
        } catch (IOException e) {
            throw new IllegalStateException("no tursodb: cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing tursodb", e);
        }
    }
}
