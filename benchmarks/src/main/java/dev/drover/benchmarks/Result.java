package dev.drover.benchmarks;

import java.util.List;

/**
 * One run of one scenario on one target, or the record that it did not run.
 *
 * @param target         the target's id
 * @param backend        what ran: the backend's description, or the peer's name
 * @param scenario       the scenario's name
 * @param run            1-based repetition number; 0 for a scenario skipped on its target
 * @param tasks          tasks the timed part handled (or was to handle, for a failed run)
 * @param seconds        duration of the timed part; NaN when the run did not complete
 * @param latency        percentiles, for scenarios that measure latency; else null
 * @param peakHeapMiB    the most heap in use during the run (sampled every 50 ms), NaN when not measured
 * @param heapAfterGcMiB heap after a full GC at the scenario's sample points (million); else empty
 * @param note           what else the run saw (may be empty)
 * @param error          why the run failed, or null
 * @param skipped        why it did not run, or null
 */
public record Result(String target, String backend, String scenario, int run, long tasks, double seconds, Latency latency,
                     double peakHeapMiB, List<Double> heapAfterGcMiB, String note, String error, String skipped) {

    public static Result of(String target, String backend, String scenario, int run, Measurement m, double peakHeapMiB) {
        return new Result(target, backend, scenario, run, m.tasks(), m.seconds(), m.latency(), peakHeapMiB, m.heapAfterGcMiB(),
                m.note(), null, null);
    }

    public static Result failed(String target, String backend, String scenario, int run, long tasks, double peakHeapMiB, String error) {
        return new Result(target, backend, scenario, run, tasks, Double.NaN, null, peakHeapMiB, List.of(), "", error, null);
    }

    public static Result skipped(String target, String backend, String scenario, String reason) {
        return new Result(target, backend, scenario, 0, 0, Double.NaN, null, Double.NaN, List.of(), "", null, reason);
    }

    /** The run completed. */
    public boolean ok() {
        return error == null && skipped == null;
    }

    public boolean failed() {
        return error != null;
    }

    /** ok, failed or skipped. */
    public String status() {
        return error != null ? "failed" : skipped != null ? "skipped" : "ok";
    }

    /** Tasks per second over the timed part. */
    public double rate() {
        return ok() && seconds > 0 ? tasks / seconds : Double.NaN;
    }
}
