package dev.drover.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a handler sees: the decoded payload and the facts about this run of the task.
 * <p>
 * A value, built with {@link #builder(TaskId, QueueName, Object)} (the worker builds it; so can a test of a
 * handler), so a field added later breaks no caller.
 */
public final class Task<T> {
    private final TaskId id;
    private final QueueName queue;
    private final T payload;
    private final int attempt;
    private final int maxAttempts;
    private final int priority;
    private final Map<String, String> metadata;
    private final Instant enqueuedAt;

    private Task(Builder<T> b) {
        this.id = b.id;
        this.queue = b.queue;
        this.payload = b.payload;
        this.attempt = b.attempt;
        this.maxAttempts = b.maxAttempts;
        this.priority = b.priority;
        this.metadata = b.metadata == null ? Map.of() : Map.copyOf(b.metadata);
        this.enqueuedAt = b.enqueuedAt;
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
    }

    /** A builder for a run of the task {@code id} of {@code queue}. Unless set: attempt 1 of {@link DroverSettings#DEFAULT_MAX_ATTEMPTS}, priority 0, no metadata, enqueued when the builder was made. */
    public static <T> Builder<T> builder(TaskId id, QueueName queue, T payload) {
        Builder<T> b = new Builder<>();
        b.id(id);
        b.queue(queue);
        b.payload(payload);
        return b;
    }

    /** A builder holding this value's fields, to make a changed copy. */
    public Builder<T> toBuilder() {
        Builder<T> b = new Builder<>();
        b.id = id;
        b.queue = queue;
        b.payload = payload;
        b.attempt = attempt;
        b.maxAttempts = maxAttempts;
        b.priority = priority;
        b.metadata = metadata;
        b.enqueuedAt = enqueuedAt;
        return b;
    }

    public TaskId id() {
        return id;
    }

    public QueueName queue() {
        return queue;
    }

    /** The payload, decoded by the queue's codec. */
    public T payload() {
        return payload;
    }

    /** 1 on the first run, 2 on the first retry, and so on. */
    public int attempt() {
        return attempt;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public int priority() {
        return priority;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Instant enqueuedAt() {
        return enqueuedAt;
    }

    public boolean isLastAttempt() {
        return attempt >= maxAttempts;
    }

    /** Equal when every field is, byte arrays by content. */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Task<?> other)) return false;
        return Objects.equals(id, other.id)
                && Objects.equals(queue, other.queue)
                && Objects.equals(payload, other.payload)
                && attempt == other.attempt
                && maxAttempts == other.maxAttempts
                && priority == other.priority
                && Objects.equals(metadata, other.metadata)
                && Objects.equals(enqueuedAt, other.enqueuedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, queue, payload, attempt, maxAttempts, priority, metadata, enqueuedAt);
    }

    @Override
    public String toString() {
        return "Task[" + "id=" + id + ", " + "queue=" + queue + ", " + "payload=" + payload + ", " + "attempt=" + attempt + ", " + "maxAttempts=" + maxAttempts + ", " + "priority=" + priority + ", " + "metadata=" + metadata + ", " + "enqueuedAt=" + enqueuedAt + "]";
    }

    public static final class Builder<T> {
        private TaskId id;
        private QueueName queue;
        private T payload;
        private int attempt = 1;
        private int maxAttempts = DroverSettings.DEFAULT_MAX_ATTEMPTS;
        private int priority;
        private Map<String, String> metadata;
        private Instant enqueuedAt = Instant.now();

        private Builder() {
        }

        public Builder<T> id(TaskId id) {
            this.id = id;
            return this;
        }

        public Builder<T> queue(QueueName queue) {
            this.queue = queue;
            return this;
        }

        public Builder<T> payload(T payload) {
            this.payload = payload;
            return this;
        }

        public Builder<T> attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        public Builder<T> maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder<T> priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder<T> metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        public Builder<T> enqueuedAt(Instant enqueuedAt) {
            this.enqueuedAt = enqueuedAt;
            return this;
        }

        public Task<T> build() {
            return new Task<>(this);
        }
    }
}
