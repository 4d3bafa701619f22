package dev.drover.benchmarks;

/**
 * The payload of every benchmark task: about 40 bytes of JSON, {@code {"seq":12345,"pushedNanos":98765432101234}}.
 *
 * @param seq         0-based position of the task in its run
 * @param pushedNanos {@link System#nanoTime()} just before the push call (only meaningful within one JVM)
 */
public record Job(long seq, long pushedNanos) {
}
