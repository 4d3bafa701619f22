package dev.drover.benchmarks;

import dev.drover.api.Drover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The backend under test. Each run opens it afresh; a SQLite URL without a path (or no URL) gets a new temporary
 * database file per run, deleted afterwards, so runs neither collide nor inherit each other's rows.
 */
public final class Target {
    private final String url;        // null: temporary SQLite file
    private final String tempParams; // "?a=b" kept from a bare sqlite: URL, or ""

    private Target(String url, String tempParams) {
        this.url = url;
        this.tempParams = tempParams;
    }

    public static Target of(String url) {
        if (url == null) return new Target(null, "");
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("sqlite:") || lower.startsWith("sqlite:?")) {
            return new Target(null, url.substring("sqlite:".length()));
        }
        return new Target(url, "");
    }

    /** True when each run gets a temporary SQLite file. */
    public boolean temporary() {
        return url == null;
    }

    public Opened open() throws IOException {
        if (url != null) return new Opened(Drover.open(url), null);
        Path dir = Files.createTempDirectory("drover-bench-");
        try {
            return new Opened(Drover.open("sqlite:" + dir.resolve("bench.db") + tempParams), dir);
        } catch (RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /** An opened backend; closing it closes the Drover and deletes a temporary database. */
    public record Opened(Drover drover, Path tempDir) implements AutoCloseable {
        public String describe() {
            return drover.backend().describe();
        }

        @Override
        public void close() {
            try {
                drover.close();
            } finally {
                if (tempDir != null) delete(tempDir);
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("bench: could not delete temporary database " + dir + ": " + e.getMessage());
        }
    }
}
