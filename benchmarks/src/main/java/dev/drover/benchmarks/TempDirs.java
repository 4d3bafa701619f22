package dev.drover.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary folders of one run (database files, a server's log), deleted with everything in them afterwards. */
final class TempDirs {
    private TempDirs() {
    }

    static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /** Deletes {@code dir} and its content; a failure is printed, not thrown (it must not hide the run's outcome). */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("bench: could not delete temporary folder " + dir + ": " + e.getMessage());
        }
    }
}
