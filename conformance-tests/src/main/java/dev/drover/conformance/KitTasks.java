package dev.drover.conformance;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.StorageException;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Building tasks for the storage rules, and small helpers the suites share. */
final class KitTasks {
    private KitTasks() {
    }

    /** A due time one second in the past, to millisecond precision: due now even on a backend whose clock is a little behind. */
    static Instant dueNow() {
        return Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
    }

    static TaskSpec task(QueueName queue) {
        return new TaskSpec(queue);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static long count(Map<TaskState, Long> counts, TaskState state) {
        Long n = counts.get(state);
        return n == null ? 0 : n;
    }

    /**
     * Runs a storage call, trying again (up to 200 times, with a short growing pause) while it fails with a transient
     * {@link StorageException} — as the worker runtime does. Each retry is counted in {@code transientFailures}.
     */
    static <T> T retryTransient(Supplier<T> call, AtomicInteger transientFailures) {
        for (int failures = 1; ; failures++) {
            try {
                return call.get();
            } catch (StorageException e) {
                if (!e.isTransient() || failures > 200) throw e;
                transientFailures.incrementAndGet();
                Await.pause(Duration.ofMillis(5L * Math.min(failures, 20)));
            }
        }
    }

    /** A {@link NewTask} with defaults: payload naming its id, codec "bytes", priority 0, due now, 5 attempts, no metadata. */
    static final class TaskSpec {
        private final QueueName queue;
        private TaskId id = TaskId.generate();
        private byte[] payload;
        private String codec = "bytes";
        private int priority;
        private Instant runAt = dueNow();
        private int maxAttempts = 5;
        private Map<String, String> metadata = Map.of();
        private dev.drover.api.UniqueKey unique;

        private TaskSpec(QueueName queue) {
            this.queue = queue;
        }

        TaskSpec id(TaskId value) {
            id = value;
            return this;
        }

        TaskSpec payload(byte[] value) {
            payload = value;
            return this;
        }

        TaskSpec payload(String value) {
            payload = utf8(value);
            return this;
        }

        TaskSpec codec(String value) {
            codec = value;
            return this;
        }

        TaskSpec priority(int value) {
            priority = value;
            return this;
        }

        TaskSpec runAt(Instant value) {
            runAt = value;
            return this;
        }

        TaskSpec maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        TaskSpec metadata(Map<String, String> value) {
            metadata = value;
            return this;
        }

        TaskSpec unique(dev.drover.api.UniqueKey value) {
            unique = value;
            return this;
        }

        NewTask build() {
            byte[] bytes = payload != null ? payload : utf8("payload of " + id);
            return NewTask.builder(queue, bytes, codec).id(id).priority(priority).runAt(runAt).maxAttempts(maxAttempts).metadata(metadata).unique(unique).build();
        }
    }
}
