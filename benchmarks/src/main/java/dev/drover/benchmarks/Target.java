package dev.drover.benchmarks;

/**
 * Something the harness runs scenarios against: a Drover backend ({@link DroverTarget}) or a peer job library
 * ({@link PeerTarget}). Each run opens it afresh ({@link #open()}), so runs neither collide nor inherit each other's
 * rows.
 */
public interface Target {

    /** The id on the command line and in the report, e.g. {@code sqlite}, {@code pgmq-plain}, {@code jobrunr-pg}. */
    String id();

    /** What it is before it is opened, for the header: e.g. "Drover SQLite, a fresh temporary file per run". */
    String summary();

    /**
     * Checks and sets up what the target needs before its first run (a binary, a database, an extension).
     *
     * @return a reason to skip the target (it cannot run on this machine, and that is not a failure), or null
     * @throws Exception when it should run but cannot (a server down): the target's runs fail with that reason
     */
    default String prepare() throws Exception {
        return null;
    }

    /**
     * The most tasks a run of {@code scenario} gets by default on this target (an explicit {@code --tasks} overrides
     * it): null for no cap, 0 for "not run by default".
     */
    default Integer cap(String scenario) {
        return null;
    }

    /** Null when the target can run {@code scenario}, else why not (e.g. "not supported by peer"). */
    default String unsupported(Scenario scenario) {
        return null;
    }

    /** Opens the target for one run. */
    Session open() throws Exception;
}
