package dev.drover.benchmarks;

/**
 * One thing the harness measures. A scenario gets a freshly opened target per run and creates its own queues (with
 * {@link RunContext#newQueueName()}), so runs never see each other's tasks. Drover targets run {@link #run}; peer
 * targets run {@link #runPeer} where {@link #peers()} says the scenario can go through the Peer interface.
 */
public interface Scenario {
    /** The name used on the command line and in the table. */
    String name();

    /** One line saying what is timed, printed before the first run; {@code tasks} is the runs' size. */
    String description(Options options, int tasks);

    /** Runs once on a Drover target and returns what it measured; throws when the run could not complete. */
    Measurement run(RunContext context) throws Exception;

    /**
     * True when its workers run in processes of their own that open the run's URL ({@link RunContext#droverUrl()}):
     * targets whose storage one process owns, or that bind something to the run's Drover, do not run it.
     */
    default boolean workerProcesses() {
        return false;
    }

    /** True when peers run it too, through {@link #runPeer}. */
    default boolean peers() {
        return false;
    }

    /** Runs once on a peer target. */
    default Measurement runPeer(RunContext context) throws Exception {
        throw new UnsupportedOperationException(name() + " does not run on peers");
    }
}
