package dev.drover.workflow;

import dev.drover.api.TaskId;

import java.util.Objects;
import java.util.regex.Pattern;

/** One run of a workflow: a UUIDv7 in its canonical text form, time-ordered like task ids. */
public record RunId(String value) implements Comparable<RunId> {
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public RunId {
        Objects.requireNonNull(value, "run id");
        if (!UUID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid run id \"" + value + "\": a run id is a lower-case UUID such as 0190f3a2-7c1e-7b4d-9a01-2f3c4d5e6f70");
        }
    }

    public static RunId of(String value) {
        return new RunId(value);
    }

    static RunId generate() {
        return new RunId(TaskId.generate().value());
    }

    @Override
    public int compareTo(RunId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
