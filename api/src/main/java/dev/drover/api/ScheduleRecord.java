package dev.drover.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * A recurring task's schedule as storage keeps it: a value the API ({@code Drover.schedules()}) and the SPI share.
 *
 * @param name     unique among the schedules of a storage
 * @param queue    the queue its tasks go to
 * @param schedule when it ticks
 * @param payload  each task's payload, as {@code codec} encoded it
 * @param codec    the codec's name
 * @param options  missed-tick policy and the tasks' options
 * @param paused   a paused schedule pushes nothing; its ticks pass (resuming does not run them)
 * @param lastTick every tick up to this instant has been handled (pushed, coalesced or skipped); when saved, the backend's
 *                 clock at the save unless given
 */
public record ScheduleRecord(String name, QueueName queue, Schedule schedule, byte[] payload, String codec,
                             ScheduleOptions options, boolean paused, Instant lastTick) {

    /** The longest schedule name. */
    public static final int MAX_NAME_LENGTH = 200;

    public ScheduleRecord {
        validateName(name);
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(options, "options");
        payload = payload.clone();
    }

    /** Fails unless {@code name} is a usable schedule name: not blank, at most {@link #MAX_NAME_LENGTH} characters. */
    public static String validateName(String name) {
        Objects.requireNonNull(name, "schedule name");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a schedule name must be 1 to " + MAX_NAME_LENGTH + " characters, not blank (got '" + name + "')");
        }
        return name;
    }

    /** The payload: a copy. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** This record with {@code tick} as its last tick. */
    public ScheduleRecord withLastTick(Instant tick) {
        return new ScheduleRecord(name, queue, schedule, payload, codec, options, paused, tick);
    }

    /**
     * The id of the task for {@code tick} of schedule {@code name}: the same in every process (a name-based UUID of the
     * name and the tick's epoch millisecond), so two pushes of one tick cannot store two tasks.
     */
    public static TaskId tickTaskId(String name, Instant tick) {
        byte[] key = ("drover-schedule:" + name + "@" + tick.toEpochMilli()).getBytes(StandardCharsets.UTF_8);
        return TaskId.of(UUID.nameUUIDFromBytes(key).toString());
    }

    /** The task this schedule pushes for {@code tick}: due at the tick, with its deterministic id. */
    public NewTask taskFor(Instant tick) {
        return NewTask.builder(queue, payload, codec)
                .id(tickTaskId(name, tick))
                .runAt(tick)
                .priority(options.priority())
                .maxAttempts(options.maxAttempts())
                .metadata(java.util.Map.of("drover.schedule", name, "drover.tick", tick.toString()))
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduleRecord r && name.equals(r.name) && queue.equals(r.queue) && schedule.equals(r.schedule)
                && Arrays.equals(payload, r.payload) && codec.equals(r.codec) && options.equals(r.options) && paused == r.paused
                && Objects.equals(lastTick, r.lastTick);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, queue, schedule, codec, options, paused, lastTick) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "ScheduleRecord[name=" + name + ", queue=" + queue + ", schedule=" + schedule + ", payload=" + payload.length
                + " bytes, codec=" + codec + ", options=" + options + ", paused=" + paused + ", lastTick=" + lastTick + "]";
    }
}
