package dev.drover.api;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.UUID;

/**
 * A task's identity: a UUIDv7 in its canonical text form. The first 48 bits are the creation time in
 * milliseconds, so ids sort by creation time across processes; within one process they are strictly
 * increasing, so ids created in order sort in order (FIFO ties are broken by id).
 */
public record TaskId(String value) implements Comparable<TaskId> {
    public TaskId {
        Objects.requireNonNull(value, "task id");
        if (value.isBlank()) throw new InvalidTaskException("a task id must not be blank");
    }

    public static TaskId of(String value) {
        return new TaskId(value);
    }

    /** A new, time-ordered, unique id. */
    public static TaskId generate() {
        return new TaskId(UuidV7.next().toString());
    }

    @Override
    public int compareTo(TaskId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    /** Monotonic UUIDv7 (RFC 9562 §6.2, method 2: the random part is incremented within one millisecond). */
    static final class UuidV7 {
        private static final SecureRandom RANDOM = new SecureRandom();
        private static long lastMillis = -1;
        private static long randA; // 12 bits
        private static long randB; // 62 bits

        private UuidV7() {
        }

        static synchronized UUID next() {
            long now = System.currentTimeMillis();
            if (now > lastMillis) {
                lastMillis = now;
                randA = RANDOM.nextInt(1 << 12);
                randB = RANDOM.nextLong() >>> 2;
            } else {
                randB++;
                if (randB >>> 62 != 0) {
                    randB = 0;
                    randA++;
                    if (randA >>> 12 != 0) {
                        randA = 0;
                        lastMillis++; // borrow from the next millisecond rather than repeat or go back
                    }
                }
            }
            long msb = (lastMillis << 16) | (0x7L << 12) | randA;
            long lsb = (0x2L << 62) | randB;
            return new UUID(msb, lsb);
        }
    }
}
