package dev.drover.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A task to store: everything a push decided. A backend stores it PENDING with attempt 0.
 * <p>
 * A value: equal to another with the same fields (the payload by content). Built with
 * {@link #builder(QueueName, byte[], String)}, so a field added later breaks no caller; the payload is copied in and out.
 */
public final class NewTask {
    private final TaskId id;
    private final QueueName queue;
    private final byte[] payload;
    private final String codec;
    private final int priority;
    private final Instant runAt;
    private final int maxAttempts;
    private final Map<String, String> metadata;
    private final UniqueKey unique;

    private NewTask(Builder b) {
        this.id = b.id;
        this.queue = b.queue;
        this.payload = b.payload == null ? null : b.payload.clone();
        this.codec = b.codec;
        this.priority = b.priority;
        this.runAt = b.runAt;
        this.maxAttempts = b.maxAttempts;
        this.metadata = b.metadata == null ? Map.of() : Map.copyOf(b.metadata);
        this.unique = b.unique;
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(runAt, "runAt");
        if (maxAttempts < 1) throw new InvalidTaskException("task " + id + ": maxAttempts must be at least 1 (got " + maxAttempts + ")");
    }

    /**
     * A builder for a task of {@code queue} with {@code payload}, encoded by the codec named {@code codec}. Unless set: a new
     * id ({@link TaskId#generate()}), priority 0, due when the builder was made, {@link DroverSettings#DEFAULT_MAX_ATTEMPTS}
     * attempts, no metadata.
     */
    public static Builder builder(QueueName queue, byte[] payload, String codec) {
        Builder b = new Builder();
        b.queue(queue);
        b.payload(payload);
        b.codec(codec);
        return b;
    }

    /** A builder holding this value's fields, to make a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.queue = queue;
        b.payload = payload;
        b.codec = codec;
        b.priority = priority;
        b.runAt = runAt;
        b.maxAttempts = maxAttempts;
        b.metadata = metadata;
        b.unique = unique;
        return b;
    }

    public TaskId id() {
        return id;
    }

    public QueueName queue() {
        return queue;
    }

    /** The payload as its codec encoded it: a copy. */
    public byte[] payload() {
        return payload == null ? null : payload.clone();
    }

    /** The name of the codec that encoded {@link #payload()}. */
    public String codec() {
        return codec;
    }

    /** Higher is claimed first (where the backend declares {@link Capability#PRIORITY}). */
    public int priority() {
        return priority;
    }

    /** When the task is due. */
    public Instant runAt() {
        return runAt;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The task's unique key in its queue, or null: a push finding the key held in scope stores nothing ({@link UniqueKey}). */
    public UniqueKey unique() {
        return unique;
    }

    /** Equal when every field is, byte arrays by content. */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof NewTask other)) return false;
        return Objects.equals(id, other.id)
                && Objects.equals(queue, other.queue)
                && Arrays.equals(payload, other.payload)
                && Objects.equals(codec, other.codec)
                && priority == other.priority
                && Objects.equals(runAt, other.runAt)
                && maxAttempts == other.maxAttempts
                && Objects.equals(metadata, other.metadata)
                && Objects.equals(unique, other.unique);
    }

    @Override
    public int hashCode() {
        return 31 * (Objects.hash(id, queue, codec, priority, runAt, maxAttempts, metadata, unique)) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "NewTask[" + "id=" + id + ", " + "queue=" + queue + ", " + "payload=" + (payload == null ? "null" : payload.length + " bytes") + ", " + "codec=" + codec + ", " + "priority=" + priority + ", " + "runAt=" + runAt + ", " + "maxAttempts=" + maxAttempts + ", " + "metadata=" + metadata + (unique == null ? "" : ", unique=" + unique) + "]";
    }

    public static final class Builder {
        private TaskId id = TaskId.generate();
        private QueueName queue;
        private byte[] payload;
        private String codec;
        private int priority;
        private Instant runAt = Instant.now();
        private int maxAttempts = DroverSettings.DEFAULT_MAX_ATTEMPTS;
        private Map<String, String> metadata;
        private UniqueKey unique;

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

        public Builder payload(byte[] payload) {
            this.payload = payload;
            return this;
        }

        public Builder codec(String codec) {
            this.codec = codec;
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

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder metadata(Map<String, String> metadata) {
            this.metadata = metadata;
            return this;
        }

        /** The unique key (null: none). */
        public Builder unique(UniqueKey unique) {
            this.unique = unique;
            return this;
        }

        public NewTask build() {
            return new NewTask(this);
        }
    }
}
