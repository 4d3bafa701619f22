package dev.drover.benchmarks;

import dev.drover.benchmarks.peers.PeerFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * A peer job library ({@link PeerFactory}) on {@code --pg}'s PostgreSQL (as a JDBC URL) or a fresh work folder,
 * opened afresh for each run. It runs the scenarios that go through the {@link dev.drover.benchmarks.peers.Peer}
 * interface (push and drain) with the same sizes as the Drover targets it is compared with; the others are
 * reported as not supported.
 */
public final class PeerTarget implements Target {
    /**
     * Peers push 100k and drain 50k tasks by default (Drover: 1M and 200k): JobRunr drains about 500-900 jobs/s and
     * pushes 1-3k jobs/s on this machine, so the full sizes would take over an hour per repetition. The tables show each
     * row's size; {@code --tasks} runs everyone at one size.
     */
    static final Map<String, Integer> CAPS = Map.of("push", 100_000, "drain", 50_000);

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
    public Integer cap(String scenario) {
        return CAPS.get(scenario);
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
