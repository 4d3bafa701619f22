package dev.drover.benchmarks;

import java.io.PrintStream;
import java.util.function.Supplier;

/** Progress lines of a run, at most one a second, so long runs show they are alive without flooding the output. */
public final class Progress {
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final String label;
    private final long start = System.nanoTime();
    private long next = start + INTERVAL_NANOS;

    Progress(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    /** Prints {@code line} if a second has passed since the last one. */
    public void tick(Supplier<String> line) {
        long now = System.nanoTime();
        if (now < next) return;
        next = now + INTERVAL_NANOS;
        say(line.get());
    }

    /** Prints {@code line} now; the next {@link #tick} line comes a second later at the earliest. */
    public void say(String line) {
        next = System.nanoTime() + INTERVAL_NANOS;
        out.printf("    [%s %5.1f s] %s%n", label, (System.nanoTime() - start) / 1e9, line);
    }
}
