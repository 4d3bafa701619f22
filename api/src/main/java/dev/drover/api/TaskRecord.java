package dev.drover.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task as stored: what inspection returns and what a claim hands to a worker. Instants are stored with
 * millisecond precision. {@code leaseExpiresAt} is set while the task is RUNNING; {@code leaseOwner} names the
 * worker that holds or last held it.
 * <p>
 * A value: equal to another with the same fields (byte arrays by content). Built by backends with
 * {@link #builder(TaskId, QueueName)}, so a field added later breaks no caller; the byte arrays are copied in and out.
 */
public final class TaskRecord {
    private final TaskId id;
    private final QueueName queue;
    private final TaskState state;
    private final int priority;
    private final Instant runAt;
    private final int attempt;
    private final int maxAttempts;
    private final byte[] payload;
    private final String codec;
    private final Map<String, String> metadata;
    private final String lastError;
    private final byte[] result;
    private final String leaseOwner;
    private final Instant leaseExpiresAt;
    private final Instant enqueuedAt;
    private final Instant startedAt;
    private final Instant finishedAt;
    private final List<AttemptError> attempts;

    private TaskRecord(Builder b) {
        this.id = b.id;
        this.queue = b.queue;
        this.state = b.state;
        this.priority = b.priority;
        this.runAt = b.runAt;
        this.attempt = b.attempt;
        this.maxAttempts = b.maxAttempts;
        this.payload = b.payload == null ? null : b.payload.clone();
        this.codec = b.codec;
        this.metadata = b.metadata == null ? Map.of() : Map.copyOf(b.metadata);
        this.lastError = b.lastError;
        this.result = b.result == null ? null : b.result.clone();
        this.leaseOwner = b.leaseOwner;
        this.leaseExpiresAt = b.leaseExpiresAt;
        this.enqueuedAt = b.enqueuedAt;
        this.startedAt = b.startedAt;
        this.finishedAt = b.finishedAt;
        this.attempts = b.attempts == null ? List.of() : List.copyOf(b.attempts);
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(runAt, "runAt");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(codec, "codec");
    }

    /** A builder for the task {@code id} of {@code queue}; state, runAt, payload and codec must be set too. */
    public static Builder builder(TaskId id, QueueName queue) {
        Builder b = new Builder();
        b.id(id);
        b.queue(queue);
        return b;
    }

    /** A builder holding this value's fields, to make a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.queue = queue;
        b.state = state;
        b.priority = priority;
        b.runAt = runAt;
        b.attempt = attempt;
        b.maxAttempts = maxAttempts;
        b.payload = payload;
        b.codec = codec;
        b.metadata = metadata;
        b.lastError = lastError;
        b.result = result;
        b.leaseOwner = leaseOwner;
        b.leaseExpiresAt = leaseExpiresAt;
        b.enqueuedAt = enqueuedAt;
        b.startedAt = startedAt;
        b.finishedAt = finishedAt;
        b.attempts = attempts;
        return b;
    }

    public TaskId id() {
        return id;
    }

    public QueueName queue() {
        return queue;
    }

    public TaskState state() {
        return state;
    }

    /** Higher is claimed first. */
    public int priority() {
        return priority;
    }

    /** When the task is due. */
    public Instant runAt() {
        return runAt;
    }

    /** Starts at 0 and grows by one with every claim. */
    public int attempt() {
        return attempt;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The payload as its codec encoded it: a copy. */
    public byte[] payload() {
        return payload == null ? null : payload.clone();
    }

    /** The name of the codec that encoded {@link #payload()}. */
    public String codec() {
        return codec;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The error of the last failed attempt, or null. */
    public String lastError() {
        return lastError;
    }

    /** What the handler stored with the completion (a copy), or null. */
    public byte[] result() {
        return result == null ? null : result.clone();
    }

    /** The worker that holds or last held the lease, or null. */
    public String leaseOwner() {
        return leaseOwner;
    }

    /** When the lease runs out, while the task is RUNNING; else null. */
    public Instant leaseExpiresAt() {
        return leaseExpiresAt;
    }

    public Instant enqueuedAt() {
        return enqueuedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    /**
     * The task's failed attempts, oldest first: the last {@link AttemptError#KEPT} of them (a retry or a death appends
     * one; nothing rewrites them; a requeue keeps them). Empty for a task that never failed, or on a backend that keeps
     * only {@link #lastError()}.
     */
    public List<AttemptError> attempts() {
        return attempts;
    }

    /** Equal when every field is, byte arrays by content. */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof TaskRecord other)) return false;
        return Objects.equals(id, other.id)
                && Objects.equals(queue, other.queue)
                && Objects.equals(state, other.state)
                && priority == other.priority
                && Objects.equals(runAt, other.runAt)
                && attempt == other.attempt
                && maxAttempts == other.maxAttempts
                && Arrays.equals(payload, other.payload)
                && Objects.equals(codec, other.codec)
                && Objects.equals(metadata, other.metadata)
                && Objects.equals(lastError, other.lastError)
                && Arrays.equals(result, other.result)
                && Objects.equals(leaseOwner, other.leaseOwner)
                && Objects.equals(leaseExpiresAt, other.leaseExpiresAt)
                && Objects.equals(enqueuedAt, other.enqueuedAt)
                && Objects.equals(startedAt, other.startedAt)
                && Objects.equals(finishedAt, other.finishedAt)
                && Objects.equals(attempts, other.attempts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (Objects.hash(id, queue, state, priority, runAt, attempt, maxAttempts, codec, metadata, lastError, leaseOwner, leaseExpiresAt, enqueuedAt, startedAt, finishedAt, attempts)) + Arrays.hashCode(payload)) + Arrays.hashCode(result);
    }

    @Override
    public String toString() {
        return "TaskRecord[" + id + " queue=" + queue + " state=" + state + " attempt=" + attempt + "/" + maxAttempts
                + " priority=" + priority + " runAt=" + runAt + " payload=" + payload.length + " bytes ("
                + codec + ")" + (lastError == null ? "" : " lastError=" + lastError) + "]";
    }

    public static final class Builder {
        private TaskId id;
        private QueueName queue;
        private TaskState state;
        private int priority;
        private Instant runAt;
        private int attempt;
        private int maxAttempts;
        private byte[] payload;
        private String codec;
        private Map<String, String> metadata;
        private String lastError;
        private byte[] result;
        private String leaseOwner;
        private Instant leaseExpiresAt;
        private Instant enqueuedAt;
        private Instant startedAt;
        private Instant finishedAt;
        private List<AttemptError> attempts;

        private Builder() {
        }

        public Builder id(TaskId id) {
            this.id = id;
            return this;
        }

        public Builder queue(QueueName queue) {
            this.queue = queue;
            return this;
        }

        public Builder state(TaskState state) {
            this.state = state;
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder runAt(Instant runAt) {
            this.runAt = runAt;
            return this;
        }

        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder payload(byte[] payload) {
            this.payload = payload;
            return this;
        }

        public Builder codec(String codec) {
            this.codec = codec;
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        public Builder lastError(String lastError) {
            this.lastError = lastError;
            return this;
        }

        public Builder result(byte[] result) {
            this.result = result;
            return this;
        }

        public Builder leaseOwner(String leaseOwner) {
            this.leaseOwner = leaseOwner;
            return this;
        }

        public Builder leaseExpiresAt(Instant leaseExpiresAt) {
            this.leaseExpiresAt = leaseExpiresAt;
            return this;
        }

        public Builder enqueuedAt(Instant enqueuedAt) {
            this.enqueuedAt = enqueuedAt;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder finishedAt(Instant finishedAt) {
            this.finishedAt = finishedAt;
            return this;
        }

        /** The failed attempts, oldest first (see {@link TaskRecord#attempts()}). */
        public Builder attempts(List<AttemptError> attempts) {
            this.attempts = attempts;
            return this;
        }

        public TaskRecord build() {
            return new TaskRecord(this);
        }
    }
}
