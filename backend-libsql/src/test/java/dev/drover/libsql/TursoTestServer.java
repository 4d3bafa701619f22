package dev.drover.libsql;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Turso server for the tests: {@code tursodb <file> --sync-server 127.0.0.1:<port>} from the npm package
 * {@code turso@0.6.0}, which {@code backend-libsql/scripts/install-tursodb.sh} installs (the tests run that script
 * when the binary is missing and npm is there). Always on a fresh database file (tursodb serves an empty sync
 * state for a file whose pages were checkpointed). Stopped by PID. Where the server cannot be had, the calling test
 * is skipped saying why, or fails when {@code DROVER_TEST_REQUIRE_SERVERS=true} (as in {@code .ci/run}).
 */
public final class TursoTestServer implements AutoCloseable {
    private static final boolean REQUIRED = "true".equalsIgnoreCase(System.getenv("DROVER_TEST_REQUIRE_SERVERS"));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static volatile Path binary;
    private static volatile String unavailable;
    private static TursoTestServer shared;

    private final Path database;
    private final Path log;
    private int port;
    private Process process;

    private TursoTestServer(Path database) {
        this.database = database;
        this.log = database.resolveSibling(database.getFileName() + ".server.log");
    }

    /** One server for the whole test JVM, on a fresh file; tests share it through queues of their own. */
    public static synchronized TursoTestServer shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("drover-turso-");
                shared = start(dir.resolve("primary.db"));
                Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    /** A server of its own on {@code database} (a new file), on a free port. */
    public static TursoTestServer start(Path database) {
        Path bin = binaryOrSkip();
        TursoTestServer server = new TursoTestServer(database);
        server.port = freePort();
        server.launch(bin);
        return server;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The Drover URL of the remote mode: {@code libsql://127.0.0.1:<port>?tls=false}. */
    public String remoteUrl() {
        return "libsql://127.0.0.1:" + port + "?tls=false";
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path database() {
        return database;
    }

    /** Stops the server (SIGTERM, then SIGKILL) and waits for it to exit. */
    public synchronized void stop() {
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

    /** Starts it again on the same file and port, as after a restart. */
    public synchronized void restart() {
        stop();
        launch(binaryOrSkip());
    }

    @Override
    public void close() {
        stop();
    }

    private void launch(Path bin) {
        try {
            process = new ProcessBuilder(bin.toString(), database.toString(), "--sync-server", "127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + bin + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("tursodb exited at start; see " + log);
            if (answers()) return;
            try {
                Thread.sleep(20); // polling the port of a starting process: there is no event to wait for
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException("tursodb did not answer on port " + port + " within 20 s; see " + log);
    }

    private boolean answers() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(httpUrl() + "/v2/pipeline"))
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

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tursodb binary: {@code DROVER_TURSODB}, else the install script's (run now if needed). */
    static synchronized Path binaryOrSkip() {
        if (binary == null && unavailable == null) find();
        if (binary != null) return binary;
        if (REQUIRED) throw new IllegalStateException(unavailable + " (DROVER_TEST_REQUIRE_SERVERS=true)");
        Assumptions.abort(unavailable);
        return null;
    }

    private static void find() {
        String given = System.getenv("DROVER_TURSODB");
        if (given != null && !given.isBlank()) {
            binary = Path.of(given);
            return;
        }
        Path script = locateScript();
        try {
            Process p = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() == 0 && !out.isEmpty() && Files.isExecutable(Path.of(out))) {
                binary = Path.of(out);
                return;
            }
            unavailable = "libSQL remote and replica tests not run: " + script + " could not install the Turso test server "
                    + "(tursodb from npm turso@0.6.0; it needs npm and the npm registry)";
        } catch (IOException e) {
            unavailable = "libSQL remote and replica tests not run: cannot run " + script + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable = "interrupted while installing the Turso test server";
        }
        System.err.println("[drover] " + unavailable);
    }

    private static Path locateScript() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts/install-tursodb.sh");
            if (Files.exists(candidate)) return candidate;
            candidate = dir.resolve("backend-libsql/scripts/install-tursodb.sh");
            if (Files.exists(candidate)) return candidate;
        }
        return here.resolve("scripts/install-tursodb.sh");
    }
}
