package dev.drover.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario on one target over its repetitions: medians over the completed runs, and how far apart they were.
 * Numbers are null where nothing was measured (no completed run, or a scenario without latency).
 *
 * @param runs                 runs tried (0 when skipped)
 * @param completed            runs that completed
 * @param tasks                the runs' size
 * @param medianTasksPerSecond median of the completed runs' tasks/s
 * @param spreadPercent        (max - min) / median of tasks/s, in percent
 * @param peakHeapMiB          the largest peak heap of its runs
 * @param heapAfterGcMiB       at each of the scenario's heap sample points (million: drain start, middle, end), the
 *                             largest heap-after-GC of its completed runs; empty for other scenarios
 * @param status               ok (at least one run completed), failed, or skipped
 * @param reason               why it was skipped, or the first failure's message (also when only some runs failed)
 */
public record Summary(String target, String scenario, String backend, int runs, int completed, long tasks,
                      Double medianTasksPerSecond, Double minTasksPerSecond, Double maxTasksPerSecond, Double spreadPercent,
                      Double medianP50Ms, Double medianP95Ms, Double medianP99Ms, Double medianMaxMs, Double peakHeapMiB,
                      List<Double> heapAfterGcMiB, String status, String reason) {

    /** One summary per (target, scenario), in the order they first appear in {@code results}. */
    public static List<Summary> of(List<Result> results) {
        Map<List<String>, List<Result>> groups = new LinkedHashMap<>();
        for (Result r : results) groups.computeIfAbsent(List.of(r.target(), r.scenario()), k -> new ArrayList<>()).add(r);
        List<Summary> summaries = new ArrayList<>();
        for (List<Result> group : groups.values()) summaries.add(of(group.getFirst().target(), group.getFirst().scenario(), group));
        return summaries;
    }

    private static Summary of(String target, String scenario, List<Result> group) {
        Result first = group.getFirst();
        if (first.skipped() != null) {
            return new Summary(target, scenario, first.backend(), 0, 0, 0, null, null, null, null, null, null, null, null, null,
                    List.of(), "skipped", first.skipped());
        }
        List<Result> ok = group.stream().filter(Result::ok).toList();
        String failure = group.stream().filter(Result::failed).map(r -> "run " + r.run() + ": " + r.error()).findFirst().orElse(null);
        long failed = group.stream().filter(Result::failed).count();
        String reason = failure == null ? null : (failed == group.size() ? failure : failed + " of " + group.size() + " runs failed; " + failure);
        if (ok.isEmpty()) {
            return new Summary(target, scenario, first.backend(), group.size(), 0, first.tasks(), null, null, null, null, null, null,
                    null, null, Stats.orNull(Stats.max(group, Result::peakHeapMiB)), List.of(), "failed", reason);
        }
        double median = Stats.median(ok, Result::rate);
        double min = Stats.min(ok, Result::rate);
        double max = Stats.max(ok, Result::rate);
        List<Result> timed = ok.stream().filter(r -> r.latency() != null).toList();
        return new Summary(target, scenario, ok.getFirst().backend(), group.size(), ok.size(), ok.getFirst().tasks(),
                median, min, max, Stats.orNull(Stats.spreadPercent(min, max, median)),
                latency(timed, r -> r.latency().p50Ms()), latency(timed, r -> r.latency().p95Ms()),
                latency(timed, r -> r.latency().p99Ms()), latency(timed, r -> r.latency().maxMs()),
                Stats.orNull(Stats.max(group, Result::peakHeapMiB)), heapAfterGc(ok), "ok", reason);
    }

    /** Per sample point, the largest value over the runs that have all points. */
    private static List<Double> heapAfterGc(List<Result> ok) {
        int points = ok.getFirst().heapAfterGcMiB().size();
        List<Double> largest = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            int at = i;
            largest.add(ok.stream().filter(r -> r.heapAfterGcMiB().size() == points).mapToDouble(r -> r.heapAfterGcMiB().get(at))
                    .max().orElse(Double.NaN));
        }
        return largest;
    }

    private static Double latency(List<Result> timed, java.util.function.ToDoubleFunction<Result> column) {
        return timed.isEmpty() ? null : Stats.orNull(Stats.median(timed, column));
    }
}
