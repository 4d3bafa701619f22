package dev.drover.benchmarks;

import java.util.List;

/**
 * What one run of a scenario measured.
 *
 * @param tasks          tasks the timed part handled
 * @param seconds        duration of the timed part
 * @param latency        percentiles, for scenarios that measure latency; else null
 * @param note           what else the run saw (may be empty)
 * @param heapAfterGcMiB heap used right after a full GC at the run's sample points (million: drain start, middle,
 *                       end); empty elsewhere
 */
public record Measurement(long tasks, double seconds, Latency latency, String note, List<Double> heapAfterGcMiB) {

    public static Measurement of(long tasks, double seconds, Latency latency, String note) {
        return new Measurement(tasks, seconds, latency, note == null ? "" : note, List.of());
    }
}
