package dev.drover.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL for one harness run: the installed server binaries, {@code initdb} into a temporary folder, a
 * free loopback port, default settings (autovacuum on), a database {@code bench}; stopped and deleted by
 * {@link #close()}. Every run then measures a fresh, known server, not one that thousands of test queues have aged.
 * Run as root, the server runs as the {@code postgres} user (initdb refuses root).
 */
final class PgCluster implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final String asUser;

    private PgCluster(Path bin, Path dir, int port, String asUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asUser = asUser;
    }

    /** Starts one; fails saying what is missing when no server binaries are installed. */
    static PgCluster start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("drover-bench-pg-");
        String asUser = "root".equals(System.getProperty("user.name")) ? "postgres" : null;
        if (asUser != null) run(null, List.of("chown", asUser, dir.toString()));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PgCluster cluster = new PgCluster(bin, dir, port, asUser);
        try {
            Path data = dir.resolve("data");
            run(asUser, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--no-sync"));
            run(asUser, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w",
                    "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"));
            run(asUser, List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "bench"));
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The server for {@code --pg}: {@code postgres@127.0.0.1:PORT/bench}. */
    String pg() {
        return "postgres@127.0.0.1:" + port + "/bench";
    }

    /** The settings that decide a queue's speed most, as the server reports them. */
    static Map<String, String> settings(PgUrl pg) {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            for (String name : List.of("server_version", "autovacuum", "synchronous_commit", "shared_buffers", "fsync", "wal_level")) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    if (rs.next()) out.put(name, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            out.put("error", e.getMessage());
        }
        return out;
    }

    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                run(asUser, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("[bench] could not stop the throwaway PostgreSQL in " + dir + ": " + e.getMessage());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder left behind
            }
        }
    }

    /** The newest installed server's bin folder (Debian: /usr/lib/postgresql/N/bin), or PG_BIN. */
    static Path binaries() throws IOException {
        String given = System.getenv("DROVER_BENCH_PG_BIN");
        if (given != null && !given.isBlank()) return Path.of(given);
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Path newest = versions.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", "0")))).orElse(null);
                if (newest != null) return newest.resolve("bin");
            }
        }
        throw new IOException("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql: install Debian's postgresql, "
                + "set DROVER_BENCH_PG_BIN to their folder, or give --pg a running server");
    }

    private static void run(String asUser, List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asUser != null) full.addAll(List.of("runuser", "-u", asUser, "--"));
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }
}
