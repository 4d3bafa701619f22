package dev.drover.benchmarks;

import dev.drover.api.Drover;
import dev.drover.benchmarks.peers.Peer;

import java.io.PrintStream;

/**
 * What a scenario's run gets: the target opened for it, the options, the run's size and repetition number, and a
 * place for progress lines.
 *
 * @param tasks    the run's size (see {@link Sizes})
 * @param progress the run's progress printer (one per run, so its times count from the run's start)
 */
public record RunContext(Session session, Options options, String target, String scenario, int run, int tasks, PrintStream out,
                         Progress progress) {

    public RunContext(Session session, Options options, String target, String scenario, int run, int tasks, PrintStream out) {
        this(session, options, target, scenario, run, tasks, out, new Progress(out, target + " " + scenario + " #" + run));
    }

    /** The Drover of a Drover target's run. */
    public Drover drover() {
        return droverSession().drover();
    }

    /** The peer of a peer target's run. */
    public Peer peer() {
        if (session instanceof PeerSession p) return p.peer();
        throw new IllegalStateException(scenario + " asked for a peer on the Drover target " + target);
    }

    /** The backend URL of a Drover target's run, for worker processes of its own to open the same storage. */
    public String droverUrl() {
        return droverSession().url();
    }

    /** A queue name no other run uses; the target removes the queue after the run where it can. */
    public String newQueueName() {
        return droverSession().newQueueName();
    }

    private DroverSession droverSession() {
        if (session instanceof DroverSession d) return d;
        throw new IllegalStateException(scenario + " asked for Drover on the peer target " + target);
    }
}
