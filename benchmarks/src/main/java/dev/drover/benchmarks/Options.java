package dev.drover.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The harness's command line.
 *
 * @param url         backend URL; null means SQLite on a fresh temporary file per run (as does a bare {@code sqlite:})
 * @param scenarios   names of the scenarios to run, in order
 * @param tasks       tasks per run of push and drain
 * @param reps        runs of each scenario
 * @param batch       tasks per {@code pushAll} in the push scenario
 * @param concurrency the worker's concurrency (drain, latency)
 * @param maxBatch    the worker's maxBatch (drain, latency)
 * @param rate        pushes per second in the latency scenario
 * @param seconds     how long the latency scenario pushes
 * @param help        --help was given
 */
public record Options(String url, List<String> scenarios, int tasks, int reps, int batch, int concurrency, int maxBatch,
                      int rate, int seconds, boolean help) {

    public static final List<String> ALL_SCENARIOS = List.of("push", "drain", "latency");

    public static final String USAGE = """
            usage: Bench [options]     (through Maven: -Dbench.args="options")
              --url URL              backend URL, e.g. sqlite:bench.db or pgmq://postgres@127.0.0.1:5432/test?mode=plain
                                     (default: SQLite on a fresh temporary file per run; so does a bare sqlite:)
              --scenario NAMES       push, drain, latency or all, or a comma-separated list (default all)
              --tasks N              tasks per run of push and drain (default 100000)
              --reps N               runs of each scenario; each run and the median are printed (default 3)
              --batch N              tasks per pushAll in push (default 1000)
              --concurrency N        worker concurrency in drain and latency (default 64)
              --max-batch N          worker maxBatch in drain and latency (default 100)
              --rate N               pushes per second in latency (default 200)
              --seconds N            how long latency pushes (default 10)
              --help                 this text""";

    public static Options defaults() {
        return new Options(null, ALL_SCENARIOS, 100_000, 3, 1000, 64, 100, 200, 10, false);
    }

    /** Parses {@code --name value} and {@code --name=value} options. */
    public static Options parse(String[] args) throws UsageException {
        Options o = defaults();
        String url = o.url;
        List<String> scenarios = o.scenarios;
        int tasks = o.tasks, reps = o.reps, batch = o.batch, concurrency = o.concurrency, maxBatch = o.maxBatch,
                rate = o.rate, seconds = o.seconds;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.isBlank()) continue;
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
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
            }
            switch (name) {
                case "--url" -> {
                    if (value.isBlank() || !value.contains(":")) {
                        throw new UsageException("option --url needs a backend URL such as sqlite:bench.db (got \"" + value + "\")");
                    }
                    url = value.strip();
                }
                case "--scenario" -> scenarios = scenarios(value);
                case "--tasks" -> tasks = positive(name, value);
                case "--reps" -> reps = positive(name, value);
                case "--batch" -> batch = positive(name, value);
                case "--concurrency" -> concurrency = positive(name, value);
                case "--max-batch" -> maxBatch = positive(name, value);
                case "--rate" -> rate = positive(name, value);
                case "--seconds" -> seconds = positive(name, value);
                default -> throw new IllegalStateException(name);
            }
        }
        if ((long) rate * seconds > 50_000_000L) {
            throw new UsageException("options --rate " + rate + " and --seconds " + seconds + " ask for " + (long) rate * seconds
                    + " latency samples; at most 50000000");
        }
        return new Options(url, scenarios, tasks, reps, batch, concurrency, maxBatch, rate, seconds, help);
    }

    /** Splits one string of options on whitespace, as Maven's {@code -Dbench.args} hands it over. */
    public static String[] split(String line) {
        return line == null || line.isBlank() ? new String[0] : line.strip().split("\\s+");
    }

    /** The number of tasks the latency scenario pushes. */
    public int latencyTasks() {
        return rate * seconds;
    }

    private static final List<String> KNOWN = List.of("--url", "--scenario", "--tasks", "--reps", "--batch", "--concurrency",
            "--max-batch", "--rate", "--seconds");

    private static List<String> scenarios(String value) throws UsageException {
        Set<String> chosen = new LinkedHashSet<>();
        for (String part : value.toLowerCase(Locale.ROOT).split(",")) {
            String s = part.strip();
            if (s.equals("all")) {
                chosen.addAll(ALL_SCENARIOS);
            } else if (ALL_SCENARIOS.contains(s)) {
                chosen.add(s);
            } else {
                throw new UsageException("option --scenario: unknown scenario \"" + s + "\" (known: "
                        + String.join(", ", ALL_SCENARIOS) + ", all)");
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
}
