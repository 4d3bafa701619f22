package dev.drover.benchmarks;

/**
 * One thing the harness measures. A scenario gets a freshly opened backend per run and creates its own queues
 * (with {@link RunContext#newQueueName()}), so runs never see each other's tasks.
 */
public interface Scenario {
    /** The name used on the command line and in the table. */
    String name();

    /** One line saying what is timed, printed before the first run. */
    String description(Options options);

    /** Runs once and returns what it measured; throws when the run could not complete. */
    Result run(RunContext context) throws Exception;
}
