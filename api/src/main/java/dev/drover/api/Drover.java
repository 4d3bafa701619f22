package dev.drover.api;

import dev.drover.api.codec.Codec;
import dev.drover.api.codec.JsonCodec;
import dev.drover.api.worker.Worker;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The application's entry point: one backend (one connection pool) serving any number of typed queues.
 *
 * <pre>{@code
 * try (Drover drover = Drover.open("sqlite:jobs.db")) {          // or Drover.fromEnvironment() with DROVER_URL
 *     TaskQueue<Email> emails = drover.queue("emails", Email.class);
 *     emails.push(new Email("ada@example.com", "Welcome"));
 *     try (Worker<Email> worker = drover.worker(emails, task -> send(task.payload())).start()) { ... }
 * }
 * }</pre>
 */
public final class Drover implements AutoCloseable {
    private final Backend backend;
    private final DroverSettings settings;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Drover(Backend backend, DroverSettings settings) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Opens the backend for {@code url}'s scheme, found on the class path: {@code sqlite:jobs.db}, {@code sqlite::memory:}. */
    public static Drover open(String url) {
        return open(url, DroverSettings.defaults());
    }

    public static Drover open(String url, DroverSettings settings) {
        return new Drover(Backends.open(url), settings);
    }

    /** Opens the URL in the {@code DROVER_URL} environment variable. */
    public static Drover fromEnvironment() {
        return new Drover(Backends.openFromEnvironment(), DroverSettings.defaults());
    }

    /**
     * Uses a backend built by the application (for example one given its own DataSource, such as
     * {@code PgmqBackend.using(dataSource, options)}). Closing this Drover closes it.
     */
    public static Drover using(Backend backend, DroverSettings settings) {
        return new Drover(backend, settings);
    }

    /** A queue whose payloads are {@code type} as JSON. */
    public <T> TaskQueue<T> queue(String name, Class<T> type) {
        return queue(name, JsonCodec.of(type));
    }

    public <T> TaskQueue<T> queue(String name, Codec<T> codec) {
        return new TaskQueue<>(backend, QueueName.of(name), codec, settings);
    }

    /**
     * A worker builder for {@code queue}; call {@code start()} on what it builds. Fails at once on a closed Drover, as
     * pushing does: a worker on a closed backend could only fail every claim.
     */
    public <T> Worker.Builder<T> worker(TaskQueue<T> queue, TaskHandler<T> handler) {
        requireOpen();
        return Worker.builder(backend, queue.name(), queue.codec(), handler);
    }

    /**
     * A worker builder for {@code queue} whose handler also says what to store with each completion: a result, and
     * follow-up tasks ({@link TaskQueue#followUp}) pushed with it. Fails at once on a closed Drover, as {@link #worker} does.
     */
    public <T> Worker.Builder<T> workerWithResults(TaskQueue<T> queue, ResultHandler<T> handler) {
        requireOpen();
        return Worker.builderWithResults(backend, queue.name(), queue.codec(), handler);
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed: no worker can run on it; build the worker from an open Drover "
                    + "(stop workers before closing the Drover they were built from)");
        }
    }

    /** What the backend can do: a feature it lacks fails with an {@link UnsupportedCapabilityException} naming it. */
    public Set<Capability> capabilities() {
        return backend.capabilities();
    }

    /**
     * The backend itself, through its SPI ({@code dev.drover.spi}): an escape hatch for extensions built on the SPI,
     * such as workflows and test helpers. Application code pushes, runs and inspects tasks through
     * {@link TaskQueue} and {@link #worker} and needs no SPI type.
     */
    public Backend backend() {
        return backend;
    }

    public DroverSettings settings() {
        return settings;
    }

    /** Closes the backend. Stop the workers built from this Drover first. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) backend.close();
    }

    @Override
    public String toString() {
        return "Drover[" + backend.describe() + "]";
    }
}
