package dev.drover.api;

import dev.drover.api.codec.Codec;
import dev.drover.api.codec.JsonCodec;
import dev.drover.api.instrument.Instrumentation;
import dev.drover.api.worker.Scheduler;
import dev.drover.api.worker.Worker;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;

import java.util.List;
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
    private final DroverInstruments instruments = new DroverInstruments();
    /** The application transaction pushes join, if one is bound ({@link #joinTransactions}). */
    private final java.util.concurrent.atomic.AtomicReference<AmbientTransaction> ambient = new java.util.concurrent.atomic.AtomicReference<>();

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
        return new TaskQueue<>(backend, QueueName.of(name), codec, settings, instruments, ambient::get);
    }

    /**
     * Makes pushes without a {@link java.sql.Connection} join the application's transaction where the calling thread is
     * in one, as {@code transaction} tells (null: never again). Applies to every queue of this Drover, made before or
     * after. Needs a backend with {@link Capability#TRANSACTIONAL_PUSH}; the transaction must be on this Drover's database.
     */
    public void joinTransactions(AmbientTransaction transaction) {
        if (transaction != null && !backend.capabilities().contains(Capability.TRANSACTIONAL_PUSH)) {
            throw new UnsupportedCapabilityException(Capability.TRANSACTIONAL_PUSH, backend.describe(),
                    "leave pushes in their own transactions, or use a backend that shares the application's JDBC database");
        }
        ambient.set(transaction);
    }

    /**
     * A worker builder for {@code queue}; call {@code start()} on what it builds. Fails at once on a closed Drover, as
     * pushing does: a worker on a closed backend could only fail every claim.
     */
    public <T> Worker.Builder<T> worker(TaskQueue<T> queue, TaskHandler<T> handler) {
        requireOpen();
        return Worker.builder(backend, queue.name(), queue.codec(), handler).instrument(instruments.forWorkers());
    }

    /**
     * A worker builder for {@code queue} whose handler also says what to store with each completion: a result, and
     * follow-up tasks ({@link TaskQueue#followUp}) pushed with it. Fails at once on a closed Drover, as {@link #worker} does.
     */
    public <T> Worker.Builder<T> workerWithResults(TaskQueue<T> queue, ResultHandler<T> handler) {
        requireOpen();
        return Worker.builderWithResults(backend, queue.name(), queue.codec(), handler).instrument(instruments.forWorkers());
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed: no worker can run on it; build the worker from an open Drover "
                    + "(stop workers before closing the Drover they were built from)");
        }
    }

    // ---- recurring tasks ----

    /**
     * Saves the schedule {@code name}: push {@code payload} to {@code queue} at every tick of {@code schedule}, with the
     * {@link ScheduleOptions#defaults() default options}. See {@link #schedule(String, Schedule, TaskQueue, Object, ScheduleOptions)}.
     */
    public <T> void schedule(String name, Schedule schedule, TaskQueue<T> queue, T payload) {
        schedule(name, schedule, queue, payload, ScheduleOptions.defaults());
    }

    /**
     * Saves the schedule {@code name} in storage: push {@code payload} to {@code queue} at every tick of {@code schedule}.
     * Saving a name again replaces its schedule, payload and options, keeping its last tick and paused flag. A new schedule
     * ticks from now on (by the backend's clock). Tasks are pushed by {@link #scheduler() schedulers}, in this or any
     * process on the same storage: exactly one task per tick, with the id {@link ScheduleRecord#tickTaskId}.
     */
    public <T> void schedule(String name, Schedule schedule, TaskQueue<T> queue, T payload, ScheduleOptions options) {
        requireOpen();
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(payload, "payload");
        byte[] bytes = queue.codec().encode(payload);
        backend.saveSchedule(new ScheduleRecord(name, queue.name(), schedule, bytes, queue.codec().name(), options, false, null));
    }

    /** Every stored schedule, by name, as storage has it (also those saved by other processes). */
    public List<ScheduleRecord> schedules() {
        return backend.schedules();
    }

    /** Pauses the schedule {@code name} in storage: no scheduler pushes its ticks until it is resumed. False when there is none. */
    public boolean pauseSchedule(String name) {
        return backend.pauseSchedule(ScheduleRecord.validateName(name), true);
    }

    /**
     * Resumes the schedule {@code name}: it ticks again from its next tick; the ticks that passed while it was paused count as
     * missed ({@link ScheduleOptions.MissedTicks}). False when there is none.
     */
    public boolean resumeSchedule(String name) {
        return backend.pauseSchedule(ScheduleRecord.validateName(name), false);
    }

    /** Deletes the schedule {@code name}; the tasks it pushed stay. False when there is none. */
    public boolean removeSchedule(String name) {
        return backend.removeSchedule(ScheduleRecord.validateName(name));
    }

    /**
     * A scheduler on this Drover's storage, not started: call {@code start()} on it, and {@code close()} before closing the
     * Drover. Run one in every process that should push scheduled tasks (one is enough; more are safe).
     */
    public Scheduler scheduler() {
        requireOpen();
        return new Scheduler(backend, Scheduler.DEFAULT_REFRESH);
    }

    /**
     * Binds {@code instrumentation} (metrics, tracing, or an application's own) to this Drover: it sees every push and
     * cancel through its queues and the events and runs of its workers, also of those made before; workers running
     * now are reported to it as started. Close what this returns to unbind it. See {@link Instrumentation}.
     */
    public Instrumentation.Binding instrument(Instrumentation instrumentation) {
        return instruments.bind(instrumentation);
    }

    /** Operating this Drover's storage: queues, counts, throughput, finding, requeueing and deleting tasks. */
    public dev.drover.api.admin.DroverAdmin admin() {
        return dev.drover.api.admin.DroverAdmin.of(this);
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
