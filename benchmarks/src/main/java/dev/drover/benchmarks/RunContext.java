package dev.drover.benchmarks;

import dev.drover.api.Drover;
import dev.drover.benchmarks.peers.Peer;

import java.io.PrintStream;

/**
 * What a scenario's run gets: the target opened for it, the options, the run's size and repetition number, and a
 * place for progress lines.
 *
 * @param tasks the run's size (see {@link Sizes})
 */
public record RunContext(Session session, Options options, String target, String scenario, int run, int tasks, PrintStream out) {

    /** The Drover of a Drover target's run. */
    public Drover drover() {
        return droverSession().drover();
    }

    /** The peer of a peer target's run. */
    public Peer peer() {
        if (session instanceof PeerSession p) return p.peer();
        throw new IllegalStateException(scenario + " asked for a peer on the Drover target " + target);
    }

    /** A queue name no other run uses; the target removes the queue after the run where it can. */
    public String newQueueName() {
        return droverSession().newQueueName();
    }

    /** A progress printer for this run, printing at most once a second. */
    public Progress progress() {
        return new Progress(out, target + " " + scenario + " #" + run);
    }

    private DroverSession droverSession() {
        if (session instanceof DroverSession d) return d;
        throw new IllegalStateException(scenario + " asked for Drover on the peer target " + target);
    }
}
