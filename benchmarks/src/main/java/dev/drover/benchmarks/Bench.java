package dev.drover.benchmarks;

import java.util.List;

/**
 * The benchmark program. Options as in {@link Options#USAGE}; through Maven they come from the {@code bench.args}
 * property, split on spaces. With no arguments, a {@code bench.args} system property is read instead (handy from an
 * IDE). Exit codes: 0 all runs completed, 1 a run failed or the backend could not be opened, 2 bad command line.
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) {
        if (args.length == 0) args = Options.split(System.getProperty("bench.args"));
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(Options.USAGE);
            System.exit(0);
        }
        int code;
        try {
            List<Result> results = new Harness(options, System.out).run();
            code = results.stream().allMatch(Result::ok) ? 0 : 1;
        } catch (Exception e) {
            System.out.flush();
            System.err.println("bench: " + e.getMessage());
            e.printStackTrace();
            code = 1;
        }
        System.out.flush();
        System.exit(code); // pools and timer threads of a failed run must not keep the JVM alive
    }
}
