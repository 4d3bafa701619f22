package dev.drover.benchmarks;

import dev.drover.benchmarks.peers.Peer;

import java.nio.file.Path;

/** A peer library opened for one run on a fresh work folder; closing it closes the peer, then deletes the folder. */
public final class PeerSession implements Session {
    private final Peer peer;
    private final Path workDir;

    PeerSession(Peer peer, Path workDir) {
        this.peer = peer;
        this.workDir = workDir;
    }

    public Peer peer() {
        return peer;
    }

    @Override
    public String backend() {
        return peer.name();
    }

    @Override
    public String configuration() {
        return peer.configuration();
    }

    @Override
    public void close() throws Exception {
        try {
            peer.close();
        } finally {
            TempDirs.delete(workDir);
        }
    }
}
