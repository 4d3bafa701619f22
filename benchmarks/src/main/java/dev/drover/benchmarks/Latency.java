package dev.drover.benchmarks;

import java.util.Arrays;

/** Latency percentiles in milliseconds (nearest rank). */
public record Latency(long samples, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

    /** Percentiles of {@code nanos} (which this sorts in place). */
    public static Latency ofNanos(long[] nanos) {
        if (nanos.length == 0) throw new IllegalArgumentException("no latency samples");
        Arrays.sort(nanos);
        return new Latency(nanos.length, ms(percentile(nanos, 50)), ms(percentile(nanos, 95)), ms(percentile(nanos, 99)),
                ms(nanos[nanos.length - 1]));
    }

    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
