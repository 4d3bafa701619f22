package dev.drover.benchmarks;

import dev.drover.api.TaskQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * Bulk push: N small tasks through {@code TaskQueue.pushAll} in batches, on one thread; timed from the first
 * {@code pushAll} to the last one's return. A peer stores N no-op jobs its fastest documented way, timed from its
 * {@code push} call to its return.
 */
public final class PushScenario implements Scenario {
    @Override
    public String name() {
        return "push";
    }

    @Override
    public String description(Options o, int tasks) {
        return "push: " + tasks + " tasks of ~40 bytes of JSON via pushAll in batches of " + o.batch()
                + " on one thread (peers: their bulk API); timed from the first push to the last one's return";
    }

    @Override
    public Measurement run(RunContext ctx) {
        Options o = ctx.options();
        TaskQueue<Job> queue = ctx.drover().queue(ctx.newQueueName(), Job.class);
        Progress progress = ctx.progress();
        int n = ctx.tasks();
        List<Job> batch = new ArrayList<>(Math.min(o.batch(), n));
        long start = System.nanoTime();
        int pushed = 0;
        while (pushed < n) {
            int size = Math.min(o.batch(), n - pushed);
            batch.clear();
            long now = System.nanoTime();
            for (int i = 0; i < size; i++) batch.add(new Job(pushed + i, now));
            queue.pushAll(batch);
            pushed += size;
            int done = pushed;
            progress.tick(() -> String.format("%,d / %,d pushed (%,.0f tasks/s so far)", done, n,
                    done / ((System.nanoTime() - start) / 1e9)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return Measurement.of(n, seconds, null, "queue " + queue.name() + "; includes creating the queue on first push where the backend does that");
    }

    @Override
    public boolean peers() {
        return true;
    }

    @Override
    public Measurement runPeer(RunContext ctx) throws Exception {
        Progress progress = ctx.progress();
        int n = ctx.tasks();
        long start = System.nanoTime();
        ctx.peer().push(n, stored -> progress.tick(() -> String.format("%,d / %,d stored (%,.0f jobs/s so far)", stored, n,
                stored / ((System.nanoTime() - start) / 1e9))));
        double seconds = (System.nanoTime() - start) / 1e9;
        return Measurement.of(n, seconds, null, ctx.peer().name() + ": " + ctx.peer().configuration());
    }
}
