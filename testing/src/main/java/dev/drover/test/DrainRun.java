package dev.drover.test;

import dev.drover.api.DoNotRetryException;
import dev.drover.api.Drover;
import dev.drover.api.RetryAfterException;
import dev.drover.api.Task;
import dev.drover.api.TaskHandler;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskRecord;
import dev.drover.api.WorkerId;
import dev.drover.api.worker.RetryPolicy;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One drain: the only place of this module that speaks the storage SPI (claim and settle, as a worker does). */
final class DrainRun<T> {
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final int BATCH = 50;

    private final Backend backend;
    private final TaskQueue<T> queue;
    private final TaskHandler<T> handler;
    private final int limit;
    private final WorkerId worker;
    private final RetryPolicy retries = RetryPolicy.defaultPolicy();
    private final List<TaskId> succeeded = new ArrayList<>();
    private final Map<TaskId, Throwable> retried = new LinkedHashMap<>();
    private final Map<TaskId, Throwable> dead = new LinkedHashMap<>();

    DrainRun(Drover drover, TaskQueue<T> queue, TaskHandler<T> handler, int limit) {
        this.backend = drover.backend();
        this.queue = queue;
        this.handler = handler;
        this.limit = limit;
        this.worker = WorkerId.generate(queue.name().value());
    }

    DrainReport run() {
        int ran = 0;
        while (true) {
            List<ClaimedTask> claimed = backend.claim(queue.name(), worker, Math.min(BATCH, limit - ran), LEASE);
            if (claimed.isEmpty()) return new DrainReport(succeeded, retried, dead);
            for (int i = 0; i < claimed.size(); i++) {
                ClaimedTask task = claimed.get(i);
                try {
                    backend.settle(List.of(runOne(task)));
                } catch (RuntimeException | Error e) {
                    backend.settle(claimed.subList(i + 1, claimed.size()).stream().<Settlement>map(c -> new Settlement.Release(c.lease())).toList());
                    throw e;
                }
                ran++;
            }
            if (ran >= limit) {
                if (!backend.claim(queue.name(), worker, 1, Duration.ofMillis(100)).isEmpty()) {
                    throw new AssertionError("drain of queue " + queue.name() + ": tasks are still due after " + limit
                            + " ran; does a handler push a task for every task it runs? Give a larger limit if this is expected");
                }
                return new DrainReport(succeeded, retried, dead);
            }
        }
    }

    private Settlement runOne(ClaimedTask claimed) {
        TaskRecord record = claimed.task();
        T payload;
        try {
            payload = queue.codec().decode(record.payload());
        } catch (RuntimeException e) {
            dead.put(record.id(), e);
            return new Settlement.Kill(claimed.lease(), "undecodable payload: task " + record.id() + " on queue " + queue.name()
                    + " cannot be read with codec '" + queue.codec().name() + "': " + e.getMessage());
        }
        Task<T> task = Task.builder(record.id(), queue.name(), payload).attempt(record.attempt()).maxAttempts(record.maxAttempts())
                .priority(record.priority()).metadata(record.metadata()).enqueuedAt(record.enqueuedAt()).build();
        try {
            handler.handle(task);
            succeeded.add(record.id());
            return new Settlement.Complete(claimed.lease(), null, List.of());
        } catch (Exception e) {
            String error = e.toString();
            boolean lastAttempt = record.attempt() >= record.maxAttempts();
            if (e instanceof DoNotRetryException || lastAttempt) {
                dead.put(record.id(), e);
                return new Settlement.Kill(claimed.lease(), error);
            }
            retried.put(record.id(), e);
            Duration delay = e instanceof RetryAfterException after ? after.delay() : retries.delayAfter(record.attempt());
            return new Settlement.Retry(claimed.lease(), delay, error);
        }
    }
}
