package dev.drover.benchmarks;

import java.nio.file.Path;

/** Drover on SQLite, a fresh temporary database file per run, deleted afterwards. */
public final class SqliteTarget extends DroverTarget {
    private final String params;

    /** @param params URL parameters ({@code ?a=b}) for every run's URL, or "" */
    SqliteTarget(String id, String params) {
        super(id);
        this.params = params;
    }

    @Override
    public String summary() {
        return "Drover SQLite, sqlite:<fresh temporary file>" + params + " per run";
    }

    @Override
    public DroverSession open() throws Exception {
        Path dir = TempDirs.create("drover-bench-");
        return open("sqlite:" + dir.resolve("bench.db") + params, deleting(dir));
    }
}
