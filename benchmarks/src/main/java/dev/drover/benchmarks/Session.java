package dev.drover.benchmarks;

/**
 * One run's opened target: a Drover backend ({@link DroverSession}) or a peer library ({@link PeerSession}). Closing
 * it closes the backend or peer and removes what the run stored (temporary files, queues, a server it started).
 */
public sealed interface Session extends AutoCloseable permits DroverSession, PeerSession {

    /** What runs, for the report's backend column: the backend's {@code describe()}, or the peer's name. */
    String backend();

    /** How it is configured, one line: a peer's {@code configuration()}; empty for Drover (its backend says it all). */
    String configuration();

    @Override
    void close() throws Exception;
}
