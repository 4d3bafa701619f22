package dev.drover.benchmarks;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the chosen scenarios, each {@code reps} times on a freshly opened backend, and prints the header and table. */
public final class Harness {
    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        for (Scenario s : List.of(new PushScenario(), new DrainScenario(), new LatencyScenario())) SCENARIOS.put(s.name(), s);
    }

    private final Options options;
    private final PrintStream out;

    public Harness(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static Scenario scenario(String name) {
        Scenario s = SCENARIOS.get(name);
        if (s == null) throw new IllegalArgumentException("no scenario " + name);
        return s;
    }

    /** Runs everything; returns every run's result (failed runs included, with their error). */
    public List<Result> run() throws Exception {
        Target target = Target.of(options.url());
        header(target);
        List<Result> results = new ArrayList<>();
        for (String name : options.scenarios()) {
            Scenario scenario = scenario(name);
            out.println();
            out.println("== " + scenario.description(options));
            for (int run = 1; run <= options.reps(); run++) {
                out.printf("  %s run %d of %d%n", name, run, options.reps());
                Result result;
                try (Target.Opened opened = target.open()) {
                    result = scenario.run(new RunContext(opened.drover(), options, name, run, out));
                } catch (Exception e) {
                    result = Result.failed(name, run, e.toString());
                    out.println("  " + name + " run " + run + " FAILED:");
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    out.print(trace.toString().indent(4));
                }
                results.add(result);
                if (result.ok()) {
                    out.printf("  -> %,d tasks in %.3f s = %,.0f tasks/s%s%n", result.tasks(), result.seconds(), result.rate(),
                            result.latency() == null ? "" : String.format("; latency p50 %.2f / p95 %.2f / p99 %.2f / max %.2f ms",
                                    result.latency().p50Ms(), result.latency().p95Ms(), result.latency().p99Ms(), result.latency().maxMs()));
                    if (!result.note().isEmpty()) out.println("     (" + result.note() + ")");
                }
                System.gc(); // start the next run with the previous one's garbage gone
            }
        }
        out.println();
        out.println("Results (" + options.reps() + " run(s) per scenario; median over completed runs)");
        Table.print(results, out);
        if (options.scenarios().contains("latency")) {
            out.println("latency: from the start of each push call (the push's own commit included) to the handler starting.");
        }
        return results;
    }

    private void header(Target target) throws Exception {
        String describe;
        try (Target.Opened probe = target.open()) {
            describe = probe.describe();
        }
        Runtime rt = Runtime.getRuntime();
        out.println("Drover benchmarks");
        out.println("  date:       " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        out.println("  jvm:        " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + ", max heap " + rt.maxMemory() / (1024 * 1024) + " MiB");
        out.println("  os:         " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")
                + ", " + rt.availableProcessors() + " processors");
        out.println("  backend:    " + (target.temporary() ? describe + " (a fresh temporary file per run)" : describe));
        out.printf("  options:    scenarios %s, tasks %d, reps %d, batch %d, concurrency %d, max-batch %d, rate %d/s, seconds %d%n",
                String.join(",", options.scenarios()), options.tasks(), options.reps(), options.batch(), options.concurrency(),
                options.maxBatch(), options.rate(), options.seconds());
    }
}
