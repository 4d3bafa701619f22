package dev.drover.workflow;

import dev.drover.api.TaskId;

/**
 * The deterministic task ids of a run, which make every push of a run idempotent and let a run's tasks be listed as
 * one range of ids: {@code wf.<run>.<node>} for a step (and for the gather of a fan-out), {@code wf.<run>.<node>.<i>}
 * for element {@code i} of a fan-out (six digits, so elements sort in order), {@code wf.<run>.~cancelled} for the
 * cancellation marker, and {@code <task>.~output} for a step's output record where the backend has no follow-ups.
 */
final class RunIds {
    static final String MARKER = "~cancelled";
    static final String OUTPUT_SUFFIX = ".~output";
    static final int ELEMENT_DIGITS = 6;

    private RunIds() {
    }

    /** Every task of the run, and nothing else, has an id starting with this. */
    static String prefix(RunId run) {
        return "wf." + run.value() + ".";
    }

    static TaskId step(RunId run, String node) {
        return TaskId.of(prefix(run) + node);
    }

    static TaskId element(RunId run, String node, int index) {
        return TaskId.of(prefix(run) + node + "." + pad(index));
    }

    /** Every element of {@code node} in {@code run}, and nothing else, has an id starting with this. */
    static String elementPrefix(RunId run, String node) {
        return prefix(run) + node + ".";
    }

    static TaskId marker(RunId run) {
        return TaskId.of(prefix(run) + MARKER);
    }

    static TaskId outputRecord(TaskId task) {
        return TaskId.of(task.value() + OUTPUT_SUFFIX);
    }

    static String pad(int index) {
        String digits = Integer.toString(index);
        return "0".repeat(Math.max(0, ELEMENT_DIGITS - digits.length())) + digits;
    }

    /** What an id of a run's range is. */
    record Parsed(Kind kind, String node, int element) {
        enum Kind { STEP, ELEMENT, MARKER, OUTPUT_RECORD, OTHER }
    }

    /** Parses {@code id}, which starts with {@link #prefix(RunId)}. */
    static Parsed parse(RunId run, TaskId id) {
        String rest = id.value().substring(prefix(run).length());
        if (rest.equals(MARKER)) return new Parsed(Parsed.Kind.MARKER, null, -1);
        if (rest.endsWith(OUTPUT_SUFFIX)) return new Parsed(Parsed.Kind.OUTPUT_RECORD, null, -1);
        int dot = rest.indexOf('.');
        if (dot < 0) return Workflow.NAME.matcher(rest).matches() ? new Parsed(Parsed.Kind.STEP, rest, -1) : other();
        String node = rest.substring(0, dot);
        String index = rest.substring(dot + 1);
        if (index.length() != ELEMENT_DIGITS || !index.chars().allMatch(Character::isDigit)) return other();
        return new Parsed(Parsed.Kind.ELEMENT, node, Integer.parseInt(index));
    }

    private static Parsed other() {
        return new Parsed(Parsed.Kind.OTHER, null, -1);
    }
}
