package dev.drover.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Runs the chosen scenarios on each target in turn, each {@code reps} times on a freshly opened target; prints a
 * header, a line when each run starts and ends, progress in between, and the final table; writes the results file
 * after each target (so an interrupted run keeps what it measured) and at the end.
 * <p>
 * A target that cannot be prepared or opened (server down, binary missing) has its scenarios reported FAILED with the
 * reason; one that cannot run on this machine by nature (no pgmq extension) is skipped; either way the other
 * targets run.
 */
public final class Harness {
    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        List<Scenario> all = new ArrayList<>(List.of(new PushScenario(), new DrainScenario(), new LatencyScenario(), new Payload8kScenario(),
                new LongScenario(), new RetriesScenario(), new MillionScenario()));
        for (int processes : ProcessesScenario.PROCESS_COUNTS) all.add(new ProcessesScenario(processes));
        for (Scenario s : all) SCENARIOS.put(s.name(), s);
    }

    /** The options; {@code --pg} is filled in when the harness starts its own PostgreSQL. */
    private Options options;
    private final PrintStream out;
    private final List<Target> targets;
    private final ZonedDateTime started = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS);
    private final List<Result> results = new ArrayList<>();
    private final List<JsonReport.TargetInfo> targetInfos = new ArrayList<>();
    /** The PostgreSQL's settings that matter, as it reported them (empty without PostgreSQL). */
    private Map<String, String> pgSettings = Map.of();

    /** Runs on the targets {@code options} name. */
    public Harness(Options options, PrintStream out) {
        this(options, out, null);
    }

    /** Runs on {@code targets} instead of those {@code options} name (tests). */
    Harness(Options options, PrintStream out, List<Target> targets) {
        this.options = options;
        this.out = out;
        this.targets = targets;
    }

    public static Scenario scenario(String name) {
        Scenario s = SCENARIOS.get(name);
        if (s == null) throw new IllegalArgumentException("no scenario " + name);
        return s;
    }

    /** Runs everything; returns the report (every run, failed and skipped ones included), also written as JSON. */
    public JsonReport run() throws Exception {
        OutOfMemoryWatch.install();
        if (targets == null && options.pg() == null && options.needsPostgres()) {
            out.println("starting a throwaway PostgreSQL for this run (--pg to use a running server instead)");
            try (PgCluster cluster = PgCluster.start()) {
                options = options.withPg(cluster.pg());
                return run();
            }
        }
        List<Target> targets = this.targets != null ? this.targets : Targets.of(options);
        header(targets);
        Path json = jsonFile();
        for (Target target : targets) {
            runTarget(target);
            write(json, false);
        }
        out.println();
        out.println("Results (" + options.reps() + " run(s) per scenario and target; tasks/s is the median over completed runs;"
                + " spread = (max - min) / median; latency columns are medians; heap is the largest peak, sampled every 50 ms)");
        List<Summary> summaries = Summary.of(results);
        Table.print(summaries, out);
        printInstrumentationCost(summaries);
        printReferenceFractions(summaries);
        if (summaries.stream().anyMatch(s -> s.scenario().equals("latency") && s.status().equals("ok"))) {
            out.println("latency: from the start of each push call (the push's own commit included) to the handler starting.");
        }
        JsonReport report = write(json, true);
        out.println("results: " + json.toAbsolutePath() + (options.json() == null ? " (and latest.json beside it)" : ""));
        return report;
    }

    /**
     * For each instrumented target ({@code --instrument}), its median throughput as a fraction of the same target
     * without instrumentation, per scenario: the cost of metrics or tracing, measured in the same run.
     */
    private void printInstrumentationCost(List<Summary> summaries) {
        boolean header = false;
        for (Summary s : summaries) {
            int plus = s.target().indexOf('+');
            if (plus < 0 || s.medianTasksPerSecond() == null) continue;
            String bare = s.target().substring(0, plus);
            for (Summary b : summaries) {
                if (!b.target().equals(bare) || !b.scenario().equals(s.scenario()) || b.medianTasksPerSecond() == null) continue;
                if (!header) {
                    out.println("instrumentation cost (median tasks/s with it, as a fraction of the same target without it):");
                    header = true;
                }
                double fraction = s.medianTasksPerSecond() / b.medianTasksPerSecond();
                out.printf("  %-28s %-10s %,10.0f vs %,10.0f tasks/s = %.2f (%+.1f%%)%n", s.target(), s.scenario(),
                        s.medianTasksPerSecond(), b.medianTasksPerSecond(), fraction, (fraction - 1) * 100);
            }
        }
    }

    /**
     * Each Drover result as a fraction of its reference without any framework, measured in the same run: SQLite targets
     * against {@code raw-sqlite}, PGMQ targets against {@code raw-pgmq}. Printed where both ran the scenario.
     */
    private void printReferenceFractions(List<Summary> summaries) {
        boolean header = false;
        for (Summary s : summaries) {
            String reference = reference(s.target());
            if (reference == null || s.medianTasksPerSecond() == null) continue;
            for (Summary r : summaries) {
                if (!r.target().equals(reference) || !r.scenario().equals(s.scenario()) || r.medianTasksPerSecond() == null) continue;
                if (!header) {
                    out.println("against the references (median tasks/s as a fraction of hand-written SQL on the same storage, same run):");
                    header = true;
                }
                out.printf("  %-28s %-10s %,10.0f vs %-10s %,10.0f tasks/s = %.2f%n", s.target(), s.scenario(), s.medianTasksPerSecond(),
                        reference, r.medianTasksPerSecond(), s.medianTasksPerSecond() / r.medianTasksPerSecond());
            }
        }
    }

    /** The reference a Drover target is read against: raw-sqlite for SQLite, raw-pgmq for PGMQ; null for others. */
    static String reference(String target) {
        int plus = target.indexOf('+');
        String bare = plus < 0 ? target : target.substring(0, plus);
        if (bare.equals("sqlite")) return "raw-sqlite";
        if (bare.startsWith("pgmq-")) return "raw-pgmq";
        return null;
    }

    private void runTarget(Target target) {
        out.println();
        out.println("== target " + target.id() + ": " + target.summary());
        Map<String, Integer> sizes = sizes(target);
        String skip;
        try {
            skip = target.prepare();
        } catch (Exception e) {
            targetUnusable(target, sizes, "cannot be prepared: " + e.getMessage());
            return;
        }
        if (skip != null) {
            out.println("  skipped: " + skip);
            targetInfos.add(new JsonReport.TargetInfo(target.id(), target.summary(), null, null, sizes, "skipped", skip));
            for (String name : options.scenarios()) results.add(Result.skipped(target.id(), null, name, skip));
            return;
        }
        String backend;
        String configuration;
        try (Session probe = target.open()) {
            backend = probe.backend();
            configuration = probe.configuration();
        } catch (Exception e) {
            targetUnusable(target, sizes, "cannot be opened: " + e);
            return;
        }
        out.println("  backend:       " + backend);
        if (!configuration.isEmpty()) out.println("  configuration: " + configuration);
        targetInfos.add(new JsonReport.TargetInfo(target.id(), target.summary(), backend, configuration, sizes, "ok", null));

        for (String name : options.scenarios()) {
            Scenario scenario = scenario(name);
            String unsupported = target.unsupported(scenario);
            OptionalInt size = Sizes.of(target, name, options);
            if (unsupported == null && size.isEmpty()) {
                unsupported = name + " is not run on " + target.id() + " by default (--tasks N runs it)";
            }
            if (unsupported != null) {
                out.println("  " + name + " skipped: " + unsupported);
                results.add(Result.skipped(target.id(), backend, name, unsupported));
                continue;
            }
            out.println();
            out.println("  -- " + scenario.description(options, size.getAsInt()));
            String broken = null;
            for (int run = 1; run <= options.reps(); run++) {
                if (broken != null) {
                    results.add(Result.failed(target.id(), backend, name, run, size.getAsInt(), Double.NaN, "not run: " + broken));
                    continue;
                }
                Result result = runOnce(target, backend, scenario, run, size.getAsInt());
                results.add(result);
                if (result.failed() && result.error().startsWith(CANNOT_OPEN)) broken = result.error();
            }
        }
    }

    private static final String CANNOT_OPEN = "target could not be opened: ";

    private Result runOnce(Target target, String backend, Scenario scenario, int run, int tasks) {
        System.gc(); // start with the previous run's garbage gone
        out.printf("  [%s] %s run %d of %d: %,d tasks%n", target.id(), scenario.name(), run, options.reps(), tasks);
        Session session;
        try {
            session = target.open();
        } catch (Exception e) {
            out.println("  [" + target.id() + "] " + scenario.name() + " run " + run + " FAILED: " + CANNOT_OPEN + e);
            return Result.failed(target.id(), backend, scenario.name(), run, tasks, Double.NaN, CANNOT_OPEN + e);
        }
        Result result;
        OutOfMemoryWatch.take();
        HeapSampler heap = HeapSampler.start();
        try {
            RunContext ctx = new RunContext(session, options, target.id(), scenario.name(), run, tasks, out);
            Measurement m = session instanceof PeerSession ? scenario.runPeer(ctx) : scenario.run(ctx);
            String oom = OutOfMemoryWatch.take();
            result = oom != null ? Result.failed(target.id(), backend, scenario.name(), run, tasks, heap.peakMiB(), oom)
                    : Result.of(target.id(), backend, scenario.name(), run, m, heap.peakMiB());
        } catch (RunFailedException e) {
            result = Result.failed(target.id(), backend, scenario.name(), run, tasks, heap.peakMiB(), e.getMessage());
        } catch (OutOfMemoryError e) {
            result = Result.failed(target.id(), backend, scenario.name(), run, tasks, heap.peakMiB(),
                    "OutOfMemoryError: " + e.getMessage() + " (max heap " + Math.round(HeapSampler.maxMiB()) + " MiB)");
        } catch (Exception | Error e) {
            String oom = OutOfMemoryWatch.take();
            result = Result.failed(target.id(), backend, scenario.name(), run, tasks, heap.peakMiB(), oom != null ? oom + "; then " + e : e.toString());
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            out.print(trace.toString().indent(4));
        } finally {
            heap.close();
        }
        try {
            session.close();
        } catch (Exception e) {
            out.println("  [" + target.id() + "] warning: closing after the run failed (the measurement stands): " + e);
        }
        if (result.ok()) {
            Latency l = result.latency();
            out.printf("  -> %,d tasks in %.3f s = %s tasks/s%s; peak heap %.0f MiB%n", result.tasks(), result.seconds(), Table.rate(result.rate()),
                    l == null ? "" : String.format("; latency p50 %.2f / p95 %.2f / p99 %.2f / max %.2f ms", l.p50Ms(), l.p95Ms(), l.p99Ms(), l.maxMs()),
                    result.peakHeapMiB());
            if (!result.note().isEmpty()) out.println("     (" + result.note() + ")");
        } else {
            out.println("  [" + target.id() + "] " + scenario.name() + " run " + run + " FAILED: " + result.error());
        }
        return result;
    }

    private void targetUnusable(Target target, Map<String, Integer> sizes, String reason) {
        out.println("  FAILED: " + target.id() + " " + reason);
        targetInfos.add(new JsonReport.TargetInfo(target.id(), target.summary(), null, null, sizes, "failed", reason));
        for (String name : options.scenarios()) {
            String unsupported = target.unsupported(scenario(name));
            results.add(unsupported != null ? Result.skipped(target.id(), null, name, unsupported)
                    : Result.failed(target.id(), null, name, 1, Sizes.of(target, name, options).orElse(0), Double.NaN, target.id() + " " + reason));
        }
    }

    /** Each chosen scenario's size on {@code target}; null where it does not run there (by default or at all). */
    private Map<String, Integer> sizes(Target target) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (String name : options.scenarios()) {
            OptionalInt size = Sizes.of(target, name, options);
            sizes.put(name, target.unsupported(scenario(name)) == null && size.isPresent() ? size.getAsInt() : null);
        }
        return sizes;
    }

    private void header(List<Target> targets) {
        JsonReport.Machine m = JsonReport.Machine.current();
        out.println("Drover benchmarks");
        out.println("  date:       " + started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        out.println("  jvm:        " + m.jvm().vendor() + " " + m.jvm().name() + " " + m.jvm().version() + ", max heap " + m.maxHeapMiB()
                + " MiB, args " + m.jvm().args());
        out.println("  machine:    " + (m.cpuModel() == null ? "" : m.cpuModel() + ", ") + m.availableProcessors() + " processors; "
                + m.os().name() + " " + m.os().version() + " " + m.os().arch());
        out.println("  command:    " + JsonReport.mavenCommand(options.commandLine()));
        out.printf("  options:    scenarios %s, reps %d, %s, batch %d, concurrency %d, max-batch %d, rate %d/s, lease %d ms%n",
                String.join(",", options.scenarios()), options.reps(),
                options.tasks() != null ? "tasks " + options.tasks() + " everywhere" : "scale " + options.scale(),
                options.batch(), options.concurrency(), options.maxBatch(), options.rate(), options.leaseMillis());
        if (options.pg() != null && options.needsPostgres()) {
            pgSettings = PgCluster.settings(PgUrl.parse(options.pg()));
            out.println("  postgresql: " + PgUrl.parse(options.pg()).describe() + " " + pgSettings);
        }
        out.println("  targets (tasks per run of each scenario; - = not run there):");
        for (Target t : targets) {
            StringBuilder line = new StringBuilder();
            for (Map.Entry<String, Integer> e : sizes(t).entrySet()) {
                if (!line.isEmpty()) line.append(", ");
                line.append(e.getKey()).append(' ').append(e.getValue() == null ? "-" : String.format("%,d", e.getValue()));
            }
            out.printf("    %-16s %s%n", t.id(), t.summary());
            out.printf("    %-16s %s%n", "", line);
        }
    }

    /** The options as the JSON keeps them, with the PostgreSQL's settings that matter where one was used. */
    private Map<String, Object> optionsWithServer() {
        Map<String, Object> all = new LinkedHashMap<>(JsonReport.options(options));
        if (!pgSettings.isEmpty()) all.put("pgSettings", pgSettings);
        return all;
    }

    /** The report so far. */
    private JsonReport report() {
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (String name : options.scenarios()) {
            int size = options.tasks() != null ? options.tasks() : (int) Math.max(1, Math.round(Sizes.defaultSize(name, options) * options.scale()));
            descriptions.put(name, scenario(name).description(options, size));
        }
        return new JsonReport(started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), JsonReport.Machine.current(), options.commandLine(),
                JsonReport.mavenCommand(options.commandLine()), optionsWithServer(), List.copyOf(targetInfos), descriptions,
                results.stream().map(JsonReport.Run::of).toList(), Summary.of(results));
    }

    /** {@code --json}, else {@code benchmarks/results/bench-<timestamp>.json} under the repository's root. */
    private Path jsonFile() {
        if (options.json() != null) return Path.of(options.json());
        return RepoPaths.resultsDir().resolve("bench-" + started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
    }

    /** Writes the report; at the end, the default file is copied to latest.json too. A failure is printed, not thrown. */
    private JsonReport write(Path json, boolean last) {
        JsonReport report = report();
        try {
            report.write(json);
            if (last && options.json() == null) {
                Files.copy(json, json.resolveSibling("latest.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            out.println("bench: could not write the results file " + json + ": " + e);
        }
        return report;
    }

    /** Every run so far. */
    public List<Result> results() {
        return List.copyOf(results);
    }
}
