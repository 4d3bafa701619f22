package dev.drover.benchmarks;

import dev.drover.benchmarks.peers.PeerFactory;

import java.nio.file.Path;

/**
 * A peer job library, or a reference without any framework ({@link PeerFactory}), on {@code --pg}'s PostgreSQL (as a
 * JDBC URL) or a fresh work folder, opened afresh for each run. It runs the scenarios that go through the
 * {@link dev.drover.benchmarks.peers.Peer} interface (push and drain) at the same sizes as the Drover targets, so every
 * ratio compares like with like ({@code --quick} shrinks everyone alike); the other scenarios are reported as not
 * supported.
 */
public final class PeerTarget implements Target {
    private final PeerFactory factory;
    private final PgUrl pg;

    PeerTarget(PeerFactory factory, PgUrl pg) {
        this.factory = factory;
        this.pg = pg;
    }

    @Override
    public String id() {
        return factory.id();
    }

    @Override
    public String summary() {
        return "peer " + factory.id() + " (PostgreSQL " + pg.describe() + " where it uses one; a fresh work folder per run)";
    }

    @Override
    public String unsupported(Scenario scenario) {
        return scenario.peers() ? null : "not supported by peer " + factory.id() + " (peers run push and drain)";
    }

    @Override
    public PeerSession open() throws Exception {
        Path dir = TempDirs.create("drover-bench-peer-");
        try {
            return new PeerSession(factory.open(pg.jdbcUrl(), dir), dir);
        } catch (Exception | Error e) {
            TempDirs.delete(dir);
            throw e;
        }
    }
}
