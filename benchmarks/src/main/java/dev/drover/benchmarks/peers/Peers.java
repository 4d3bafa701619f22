package dev.drover.benchmarks.peers;

import java.util.List;

/**
 * The peer job libraries the harness knows. A placeholder so the harness compiles: the peers (db-scheduler, JobRunr)
 * and this class's real content come from their own branch, which replaces this file.
 */
public final class Peers {
    private Peers() {
    }

    /** Every peer, in the order the harness runs them. */
    public static List<PeerFactory> all() {
        return List.of();
    }

    /** The peer with this command-line id; IllegalArgumentException when there is none. */
    public static PeerFactory byId(String id) {
        throw new IllegalArgumentException("no peer with id " + id + " (none are built into this harness yet)");
    }
}
