package dev.drover.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The final table: every run, then the median of each column over a scenario's completed runs. */
public final class Table {
    private static final String FORMAT = "%-9s %-7s %9s %9s %12s %9s %9s %9s %9s%n";

    private Table() {
    }

    public static void print(List<Result> results, PrintStream out) {
        out.printf(FORMAT, "scenario", "run", "tasks", "seconds", "tasks/s", "p50 ms", "p95 ms", "p99 ms", "max ms");
        out.println("-".repeat(90));
        Map<String, List<Result>> byScenario = new LinkedHashMap<>();
        for (Result r : results) byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
        for (Map.Entry<String, List<Result>> e : byScenario.entrySet()) {
            List<Result> ok = new ArrayList<>();
            for (Result r : e.getValue()) {
                if (r.ok()) {
                    ok.add(r);
                    row(out, r.scenario(), String.valueOf(r.run()), r.tasks(), r.seconds(), r.rate(), r.latency());
                } else {
                    out.printf("%-9s %-7s FAILED: %s%n", r.scenario(), r.run(), r.error());
                }
            }
            if (!ok.isEmpty()) {
                Latency lat = ok.getFirst().latency() == null ? null : new Latency(ok.getFirst().latency().samples(),
                        median(ok, r -> r.latency().p50Ms()), median(ok, r -> r.latency().p95Ms()),
                        median(ok, r -> r.latency().p99Ms()), median(ok, r -> r.latency().maxMs()));
                row(out, e.getKey(), "median", ok.getFirst().tasks(), median(ok, Result::seconds), median(ok, Result::rate), lat);
            }
            out.println();
        }
    }

    static double median(List<Result> results, ToDoubleFunction<Result> column) {
        double[] values = results.stream().mapToDouble(column).toArray();
        Arrays.sort(values);
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static void row(PrintStream out, String scenario, String run, long tasks, double seconds, double rate, Latency lat) {
        out.printf(FORMAT, scenario, run, tasks, String.format("%.3f", seconds), String.format("%,.0f", rate),
                lat == null ? "-" : String.format("%.2f", lat.p50Ms()), lat == null ? "-" : String.format("%.2f", lat.p95Ms()),
                lat == null ? "-" : String.format("%.2f", lat.p99Ms()), lat == null ? "-" : String.format("%.2f", lat.maxMs()));
    }
}
