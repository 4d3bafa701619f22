package dev.drover.benchmarks;

import dev.drover.benchmarks.peers.PeerFactory;
import dev.drover.benchmarks.peers.Peers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The harness's command line.
 *
 * @param targets     target ids in the order given ({@link Targets#DROVER_IDS} and peer ids); empty with a
 *                    {@code url} means that URL only, empty without one means {@code sqlite}
 * @param url         a backend URL run as one more Drover target (id {@code url}), or null
 * @param pg          the PostgreSQL of the pgmq targets and the peers, {@code user[:password]@host[:port]/database}
 *                    (a {@code pgmq://}, {@code postgresql://} or {@code postgres://} prefix is accepted)
 * @param scenarios   names of the scenarios to run, in order
 * @param tasks       the size of every scenario's runs, or null for each scenario's default (see {@link Sizes})
 * @param scale       multiplies each scenario's default size (not an explicit {@code --tasks})
 * @param reps        runs of each scenario on each target
 * @param batch       tasks per {@code pushAll} in the push scenario
 * @param concurrency the worker's concurrency (drain, latency, payload8k, retries, million, long; each process's worker
 *                    in processes-N; peers' threads)
 * @param maxBatch    the worker's maxBatch
 * @param rate        pushes per second in the latency scenario
 * @param seconds     how long the latency scenario pushes by default (its default size is rate × seconds)
 * @param leaseMillis the lease of the long scenario; its handler sleeps 2.5 leases
 * @param json        the results file, or null for {@code benchmarks/results/bench-<timestamp>.json} (and latest.json)
 * @param readmeFrom  a results file to render into the README instead of running anything, or null
 * @param readme      the README whose tables {@code readmeFrom} rewrites, or null for benchmarks/README.md
 * @param summary     the README whose summary {@code readmeFrom} rewrites, or null for the repository's README.md
 * @param help        --help was given
 * @param args        the arguments as given, for the report
 */
public record Options(List<String> targets, String url, String pg, List<String> scenarios, Integer tasks, double scale,
                      int reps, int batch, int concurrency, int maxBatch, int rate, int seconds, int leaseMillis,
                      String json, String readmeFrom, String readme, String summary, boolean help, List<String> args,
                      List<Instrumentations> instrument) {

    public static final List<String> ALL_SCENARIOS = Stream.concat(
            Stream.of("push", "drain", "latency", "payload8k", "long", "retries", "million"), ProcessesScenario.names().stream()).toList();
    /** What {@code --scenario processes} stands for: the drain with 1, 2 and 4 worker processes. */
    static final String PROCESSES = "processes";
    public static final String DEFAULT_PG = "postgres@127.0.0.1:5432/test";

    /** These options with {@code --pg} set to {@code pg} (the harness's own throwaway server). */
    public Options withPg(String pg) {
        return new Options(targets, url, pg, scenarios, tasks, scale, reps, batch, concurrency, maxBatch, rate, seconds, leaseMillis, json,
                readmeFrom, readme, summary, help, args, instrument);
    }

    /** Whether any target chosen runs on PostgreSQL. */
    public boolean needsPostgres() {
        return targetIds().stream().anyMatch(id -> id.startsWith("pgmq-") || id.endsWith("-pg") || id.equals("raw-pgmq"));
    }

    public static final String USAGE = """
            usage: Bench [options]     (through Maven: -Dbench.args="options")
              --targets LIST         comma-separated targets, or all (default: sqlite, or only --url when that is given):
                                       sqlite          Drover on a fresh temporary SQLite file per run
                                       libsql-remote   Drover on a tursodb server the harness starts (fresh file per run)
                                       libsql-replica  the same through an embedded replica file
                                       pgmq-plain      Drover PGMQ in plain mode on --pg
                                       pgmq-extension  Drover PGMQ in extension mode, in database drover_bench_ext on --pg's
                                                       server (skipped where the pgmq extension is not available)
                                       peers by id, e.g. dbscheduler-pg, jobrunr-pg, jobrunr-sqlite (push and drain only)
              --url URL              also run this backend URL as a target (id "url"), e.g. sqlite:bench.db
              --pg URL               PostgreSQL for pgmq, peers and raw-pgmq, user@host:port/database (default: env
                                     DROVER_BENCH_PG, else a throwaway server the harness starts for the run:
                                     initdb into a temporary folder, a free loopback port, default settings,
                                     autovacuum on; stopped and deleted at the end)
              --scenario NAMES       comma-separated, or all (default all):
                                       push       bulk push (default 1,000,000 tasks)
                                       drain      N tasks pushed untimed, then drained by a no-op worker (200,000)
                                       latency    pushes at --rate for --seconds while a worker runs (200/s for
                                                  10 s: 2,000 tasks); enqueue-to-start p50/p95/p99
                                       payload8k  drain with 8 KiB payloads (50,000)
                                       long       tasks outliving their lease: heartbeats must keep them (256)
                                       retries    drain where 30% of tasks fail once and are retried (100,000)
                                       million    1,000,000 pushed, then drained; heap after GC sampled (only
                                                  sqlite and pgmq-plain run it by default)
                                       processes-1, processes-2, processes-4
                                                  drain (200,000) by 1, 2 or 4 worker processes, JVMs of
                                                  their own on the target's URL, started at once; timed
                                                  until the queue counts all DONE (sqlite and pgmq only)
                                       processes  the three processes-N
                                     peers and references run at Drover's sizes; libsql caps its default sizes
                                     (printed in the header: push 100k, drain 20k, payload8k 5k, retries 10k, no million)
              --tasks N              the size of every scenario's runs, overriding defaults and caps
                                     (latency: N pushes at --rate)
              --scale F              multiplies every default size, e.g. 0.01 for a quick run (default 1)
              --quick                --scale 0.1: every target, peers and references alike, at a tenth
              --reps N               runs of each scenario on each target; median and spread reported (default 3)
              --batch N              tasks per pushAll in push (default 1000)
              --concurrency N        worker concurrency, and peers' worker threads (default 64)
              --max-batch N          worker maxBatch (default 100)
              --rate N               pushes per second in latency (default 200)
              --seconds N            how long latency pushes by default (default 10)
              --lease-ms N           the lease in long; its handler sleeps 2.5 leases (default 2000)
              --instrument LIST      run each Drover target once per variant: none, metrics (Micrometer),
                                     tracing (OpenTelemetry, every task sampled), metrics+tracing;
                                     e.g. none,metrics,tracing (default none); prints each as a fraction of none
              --json FILE            results file (default benchmarks/results/bench-<timestamp>.json and latest.json)
              --readme-from FILE     run nothing: render FILE's results into benchmarks/README.md's tables
                                     (between <!-- bench:results:start --> and <!-- bench:results:end -->)
                                     and into README.md's summary
              --readme PATH          the README whose tables --readme-from rewrites (default benchmarks/README.md)
              --summary PATH         the README whose summary --readme-from rewrites, between the
                                     <!-- bench:summary:start --> and <!-- bench:summary:end --> lines
                                     (default README.md)
              --help                 this text""";

    public static Options defaults() {
        String pg = System.getenv("DROVER_BENCH_PG");
        return new Options(List.of(), null, pg == null || pg.isBlank() ? null : pg.strip(), ALL_SCENARIOS, null, 1.0,
                3, 1000, 64, 100, 200, 10, 2000, null, null, null, null, false, List.of(), List.of(Instrumentations.NONE));
    }

    /** Parses {@code --name value} and {@code --name=value} options. */
    public static Options parse(String[] args) throws UsageException {
        Options o = defaults();
        List<String> targets = o.targets;
        String url = o.url, pg = o.pg, json = null, readmeFrom = null, readme = null, summary = null;
        List<String> scenarios = o.scenarios;
        Integer tasks = null;
        double scale = o.scale;
        int reps = o.reps, batch = o.batch, concurrency = o.concurrency, maxBatch = o.maxBatch, rate = o.rate,
                seconds = o.seconds, leaseMillis = o.leaseMillis;
        boolean help = false;
        List<Instrumentations> instrument = List.of(Instrumentations.NONE);
        List<String> given = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.isBlank()) continue;
            given.add(arg);
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (arg.equals("--quick")) { // everyone, peers and references included, at a tenth of the default sizes
                scale = 0.1;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument \"" + arg + "\": options start with --, for example --tasks 1000");
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!KNOWN.contains(name)) {
                throw new UsageException("unknown option " + name + " (known: " + String.join(", ", KNOWN) + ", --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException("option " + name + " needs a value");
                }
                value = args[++i];
                given.add(value);
            }
            switch (name) {
                case "--targets" -> targets = targets(value);
                case "--url" -> {
                    if (value.isBlank() || !value.contains(":")) {
                        throw new UsageException("option --url needs a backend URL such as sqlite:bench.db (got \"" + value + "\")");
                    }
                    url = value.strip();
                }
                case "--pg" -> {
                    try {
                        PgUrl.parse(value);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("option --pg: " + e.getMessage());
                    }
                    pg = value.strip();
                }
                case "--scenario" -> scenarios = scenarios(value);
                case "--tasks" -> tasks = positive(name, value);
                case "--scale" -> scale = fraction(name, value);
                case "--reps" -> reps = positive(name, value);
                case "--batch" -> batch = positive(name, value);
                case "--concurrency" -> concurrency = positive(name, value);
                case "--max-batch" -> maxBatch = positive(name, value);
                case "--rate" -> rate = positive(name, value);
                case "--seconds" -> seconds = positive(name, value);
                case "--lease-ms" -> {
                    leaseMillis = positive(name, value);
                    if (leaseMillis < 300) throw new UsageException("option --lease-ms needs at least 300 (got " + leaseMillis + ")");
                }
                case "--json" -> json = path(name, value);
                case "--readme-from" -> readmeFrom = path(name, value);
                case "--readme" -> readme = path(name, value);
                case "--summary" -> summary = path(name, value);
                case "--instrument" -> instrument = instrument(value);
                default -> throw new IllegalStateException(name);
            }
        }
        if ((readme != null || summary != null) && readmeFrom == null) {
            throw new UsageException("options --readme and --summary name the READMEs that --readme-from rewrites: give --readme-from FILE too");
        }
        return new Options(targets, url, pg, scenarios, tasks, scale, reps, batch, concurrency, maxBatch, rate, seconds,
                leaseMillis, json, readmeFrom, readme, summary, help, List.copyOf(given), instrument);
    }

    /** Splits one string of options on whitespace, as Maven's {@code -Dbench.args} hands it over. */
    public static String[] split(String line) {
        return line == null || line.isBlank() ? new String[0] : line.strip().split("\\s+");
    }

    /** The target ids to run: {@code --targets}, plus {@code url} for {@code --url}; {@code sqlite} when neither is given. */
    public List<String> targetIds() {
        List<String> ids = new ArrayList<>(targets);
        if (url != null) ids.add(Targets.URL_ID);
        if (ids.isEmpty()) ids.add("sqlite");
        return ids;
    }

    /** The arguments as one line, as they would be given in {@code -Dbench.args}. */
    public String commandLine() {
        return String.join(" ", args);
    }

    private static final List<String> KNOWN = List.of("--targets", "--url", "--pg", "--scenario", "--tasks", "--scale", "--reps",
            "--batch", "--concurrency", "--max-batch", "--rate", "--seconds", "--lease-ms", "--json", "--readme-from", "--readme", "--summary",
            "--instrument");

    /** {@code --instrument}: comma-separated variants, each run as its own target beside the bare one. */
    private static List<Instrumentations> instrument(String value) throws UsageException {
        Set<Instrumentations> chosen = new LinkedHashSet<>();
        for (String part : value.toLowerCase(Locale.ROOT).split(",")) {
            if (!part.isBlank()) chosen.add(Instrumentations.parse(part.strip()));
        }
        if (chosen.isEmpty()) throw new UsageException("option --instrument needs at least one of none, metrics, tracing, metrics+tracing");
        return List.copyOf(chosen);
    }

    private static List<String> targets(String value) throws UsageException {
        Set<String> chosen = new LinkedHashSet<>();
        for (String part : value.toLowerCase(Locale.ROOT).split(",")) {
            String t = part.strip();
            if (t.isEmpty()) continue;
            if (t.equals("all")) {
                chosen.addAll(Targets.DROVER_IDS);
                for (PeerFactory peer : Peers.all()) chosen.add(peer.id());
            } else if (Targets.DROVER_IDS.contains(t) || isPeer(t)) {
                chosen.add(t);
            } else {
                List<String> peers = Peers.all().stream().map(PeerFactory::id).toList();
                throw new UsageException("option --targets: unknown target \"" + t + "\" (known: " + String.join(", ", Targets.DROVER_IDS)
                        + (peers.isEmpty() ? ", no peers built in" : ", peers " + String.join(", ", peers)) + ", all)");
            }
        }
        if (chosen.isEmpty()) throw new UsageException("option --targets needs at least one target, or all");
        return new ArrayList<>(chosen);
    }

    private static boolean isPeer(String id) {
        try {
            Peers.byId(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> scenarios(String value) throws UsageException {
        Set<String> chosen = new LinkedHashSet<>();
        for (String part : value.toLowerCase(Locale.ROOT).split(",")) {
            String s = part.strip();
            if (s.equals("all")) {
                chosen.addAll(ALL_SCENARIOS);
            } else if (s.equals(PROCESSES)) {
                chosen.addAll(ProcessesScenario.names());
            } else if (ALL_SCENARIOS.contains(s)) {
                chosen.add(s);
            } else {
                throw new UsageException("option --scenario: unknown scenario \"" + s + "\" (known: "
                        + String.join(", ", ALL_SCENARIOS) + ", " + PROCESSES + ", all)");
            }
        }
        return new ArrayList<>(chosen);
    }

    private static int positive(String name, String value) throws UsageException {
        try {
            int n = Integer.parseInt(value.strip().replace("_", ""));
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("option " + name + " needs a positive whole number (got \"" + value + "\")");
    }

    private static double fraction(String name, String value) throws UsageException {
        try {
            double f = Double.parseDouble(value.strip());
            if (f > 0 && f <= 100 && Double.isFinite(f)) return f;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("option " + name + " needs a number above 0 and at most 100, such as 0.1 (got \"" + value + "\")");
    }

    private static String path(String name, String value) throws UsageException {
        if (value.isBlank()) throw new UsageException("option " + name + " needs a file path");
        return value.strip();
    }
}
