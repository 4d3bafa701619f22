package dev.drover.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The final table: per scenario, one line per target with the median tasks/s over its completed runs, the slowest
 * and fastest run, their spread as a share of the median, the latency medians and the largest peak heap; or why the
 * target did not run it.
 */
public final class Table {
    private static final String FORMAT = "  %-22s %5s %11s %11s   %-23s %7s %8s %8s %8s %9s%n";

    private Table() {
    }

    public static void print(List<Summary> summaries, PrintStream out) {
        Map<String, List<Summary>> byScenario = new LinkedHashMap<>();
        for (String s : Options.ALL_SCENARIOS) byScenario.put(s, new ArrayList<>());
        for (Summary s : summaries) byScenario.computeIfAbsent(s.scenario(), k -> new ArrayList<>()).add(s);
        for (Map.Entry<String, List<Summary>> e : byScenario.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            out.println(e.getKey());
            out.printf(FORMAT, "target", "runs", "tasks", "tasks/s", "min - max", "spread", "p50 ms", "p95 ms", "p99 ms", "heap MiB");
            for (Summary s : e.getValue()) {
                switch (s.status()) {
                    case "skipped" -> out.printf("  %-22s skipped: %s%n", s.target(), s.reason());
                    case "failed" -> out.printf("  %-22s %5s FAILED: %s%n", s.target(), s.completed() + "/" + s.runs(), s.reason());
                    default -> {
                        out.printf(FORMAT, s.target(), s.completed() + "/" + s.runs(), String.format("%,d", s.tasks()),
                                rate(s.medianTasksPerSecond()), rate(s.minTasksPerSecond()) + " - " + rate(s.maxTasksPerSecond()),
                                s.spreadPercent() == null ? "-" : String.format("%.1f%%", s.spreadPercent()),
                                ms(s.medianP50Ms()), ms(s.medianP95Ms()), ms(s.medianP99Ms()),
                                s.peakHeapMiB() == null ? "-" : String.format("%.0f", s.peakHeapMiB()));
                        if (s.reason() != null) out.printf("  %-22s       (%s)%n", "", s.reason());
                        if (!s.heapAfterGcMiB().isEmpty()) out.printf("  %-22s       (heap after GC at drain start / middle / end: %s MiB)%n", "",
                                heapPoints(s));
                    }
                }
            }
            out.println();
        }
    }

    /** A rate as the table shows it: grouped thousands, one decimal below 100. */
    static String rate(Double rate) {
        if (rate == null) return "-";
        return rate < 100 ? String.format("%,.1f", rate) : String.format("%,.0f", rate);
    }

    /** "3.9 / 41.7 / 10.2". */
    static String heapPoints(Summary s) {
        return String.join(" / ", s.heapAfterGcMiB().stream().map(v -> String.format("%.1f", v)).toList());
    }

    static String ms(Double ms) {
        return ms == null ? "-" : String.format("%.2f", ms);
    }
}
