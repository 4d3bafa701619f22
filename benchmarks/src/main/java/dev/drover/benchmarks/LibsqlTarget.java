package dev.drover.benchmarks;

import java.nio.file.Path;
import java.util.Map;

/**
 * Drover on libSQL against a Turso server the harness starts for each run ({@link TursoServerProcess}, a fresh
 * database file on a free loopback port), in remote mode or through an embedded replica file; server, database and
 * replica are gone after the run. Every request is an HTTP round trip, so default sizes are capped.
 */
public final class LibsqlTarget extends DroverTarget {
    /** Default sizes on this target; about 2,000 tasks/s would make the general defaults take many minutes. */
    static final Map<String, Integer> CAPS = Map.of("push", 100_000, "drain", 20_000, "payload8k", 5_000, "retries", 10_000, "million", 0);

    private final boolean replica;
    private Path binary;

    LibsqlTarget(String id, boolean replica) {
        super(id);
        this.replica = replica;
    }

    @Override
    public String summary() {
        return "Drover libSQL " + (replica ? "embedded replica, libsql://127.0.0.1:<port>?tls=false&replica=<fresh file>"
                : "remote, libsql://127.0.0.1:<port>?tls=false") + ", against tursodb " + TursoServerProcess.VERSION
                + " started per run on a fresh database file" + (binary == null ? "" : " (" + binary + ")");
    }

    @Override
    public String prepare() {
        binary = TursoServerProcess.findBinary();
        return null;
    }

    @Override
    public Integer cap(String scenario) {
        return CAPS.get(scenario);
    }

    /** The processes scenarios run on SQLite and PostgreSQL only: a replica file is one process's, and caps keep libSQL small. */
    @Override
    public String unsupported(Scenario scenario) {
        return scenario.workerProcesses() ? "not supported on " + id() + " (the processes scenarios run on sqlite and pgmq)" : null;
    }

    @Override
    public DroverSession open() throws Exception {
        if (binary == null) prepare();
        Path dir = TempDirs.create("drover-bench-turso-");
        TursoServerProcess server;
        try {
            server = TursoServerProcess.start(binary, dir.resolve("primary.db"));
        } catch (RuntimeException e) {
            TempDirs.delete(dir);
            throw e;
        }
        String url = server.remoteUrl() + (replica ? "&replica=" + dir.resolve("replica.db") : "");
        return open(url, queues -> {
            try {
                server.close();
            } finally {
                TempDirs.delete(dir);
            }
        });
    }
}
