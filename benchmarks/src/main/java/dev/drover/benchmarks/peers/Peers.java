package dev.drover.benchmarks.peers;

import java.util.List;
import java.util.stream.Collectors;

/** The peer job libraries the harness can run, by {@link PeerFactory#id()}. */
public final class Peers {
    private static final List<PeerFactory> ALL = List.of(
            new DbSchedulerPeer.Factory(),
            new JobRunrPeer.PostgresFactory(),
            new JobRunrPeer.SqliteFactory(),
            new RawSqlitePeer.Factory(),
            new RawPgmqPeer.Factory());

    private Peers() {
    }

    /**
     * {@code dbscheduler-pg}, {@code jobrunr-pg}, {@code jobrunr-sqlite}, and the references without any framework,
     * {@code raw-sqlite} and {@code raw-pgmq}.
     */
    public static List<PeerFactory> all() {
        return ALL;
    }

    /** @throws IllegalArgumentException for an unknown id, naming the known ones */
    public static PeerFactory byId(String id) {
        for (PeerFactory f : ALL) {
            if (f.id().equals(id)) return f;
        }
        throw new IllegalArgumentException("unknown peer '" + id + "'; known peers: "
                + ALL.stream().map(PeerFactory::id).collect(Collectors.joining(", ")));
    }
}
