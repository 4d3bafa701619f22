package dev.drover.benchmarks;

/**
 * One run of one scenario.
 *
 * @param scenario the scenario's name
 * @param run      1-based repetition number
 * @param tasks    tasks the timed part handled
 * @param seconds  duration of the timed part
 * @param latency  percentiles, for scenarios that measure latency; else null
 * @param note     what else the run saw (may be empty)
 * @param error    why the run failed, or null when it completed
 */
public record Result(String scenario, int run, long tasks, double seconds, Latency latency, String note, String error) {

    public static Result of(String scenario, int run, long tasks, double seconds, Latency latency, String note) {
        return new Result(scenario, run, tasks, seconds, latency, note == null ? "" : note, null);
    }

    public static Result failed(String scenario, int run, String error) {
        return new Result(scenario, run, 0, Double.NaN, null, "", error);
    }

    public boolean ok() {
        return error == null;
    }

    /** Tasks per second over the timed part. */
    public double rate() {
        return ok() && seconds > 0 ? tasks / seconds : Double.NaN;
    }
}
