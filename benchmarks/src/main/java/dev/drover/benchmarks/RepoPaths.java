package dev.drover.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository is. Through Maven ({@code exec:exec}) the harness runs in the repository's root; from an IDE or
 * the tests it may run in {@code benchmarks/}. The root is the nearest folder upwards holding {@code mvnw} and
 * {@code benchmarks/pom.xml}.
 */
public final class RepoPaths {
    private RepoPaths() {
    }

    /** The repository's root, or the current folder when none is found upwards. */
    public static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.exists(dir.resolve("benchmarks/pom.xml"))) return dir;
        }
        return here;
    }

    /** {@code <root>/benchmarks/results}: the default place of results files. */
    public static Path resultsDir() {
        return root().resolve("benchmarks").resolve("results");
    }

    /** {@code <root>/README.md}, where the harness writes its summary. */
    public static Path mainReadme() {
        return root().resolve("README.md");
    }

    /** {@code <root>/benchmarks/README.md}, where the harness writes its tables. */
    public static Path readme() {
        return root().resolve("benchmarks").resolve("README.md");
    }
}
