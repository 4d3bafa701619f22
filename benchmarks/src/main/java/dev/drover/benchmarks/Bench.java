package dev.drover.benchmarks;

import java.nio.file.Path;

/**
 * The benchmark program. Options as in {@link Options#USAGE}; through Maven they come from the {@code bench.args}
 * property, split on spaces. With no arguments, a {@code bench.args} system property is read instead (handy from an
 * IDE). With {@code --readme-from FILE} it runs nothing and renders FILE into benchmarks/README.md ({@link ReadmeTable}) and
 * the summary in README.md ({@link ReadmeSummary}).
 * Exit codes: 0 every run completed or was skipped, 1 a run or target failed (or the README could not be
 * rewritten), 2 bad command line.
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
            if (options.readmeFrom() != null) {
                Path readme = options.readme() != null ? Path.of(options.readme()) : RepoPaths.readme();
                Path summary = options.summary() != null ? Path.of(options.summary()) : RepoPaths.mainReadme();
                ReadmeTable.rewrite(Path.of(options.readmeFrom()), readme);
                System.out.println("bench: rewrote the results block of " + readme.toAbsolutePath() + " from " + options.readmeFrom());
                ReadmeSummary.rewrite(Path.of(options.readmeFrom()), summary);
                System.out.println("bench: rewrote the summary block of " + summary.toAbsolutePath() + " from " + options.readmeFrom());
                code = 0;
            } else {
                JsonReport report = new Harness(options, System.out).run();
                code = report.results().stream().anyMatch(r -> r.error() != null) ? 1 : 0;
            }
        } catch (Exception e) {
            System.out.flush();
            System.err.println("bench: " + e.getMessage());
            if (!(e instanceof IllegalStateException)) e.printStackTrace();
            code = 1;
        }
        System.out.flush();
        System.exit(code); // pools and timer threads of a failed run must not keep the JVM alive
    }
}
