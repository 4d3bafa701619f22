package dev.drover.test;

import dev.drover.api.TaskQuery;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Assertions on what application code pushed. The payloads are decoded with the queue's own codec, so a predicate
 * reads the application's type; a failure lists what the queue does hold (state, decoded payload, shortened), so the
 * test says what went wrong without a debugger. Reads need a backend with {@code INSPECTION} (every built-in one).
 */
public final class DroverAssertions {
    private static final int SHOWN = 20;
    private static final int PAYLOAD_CHARS = 200;

    private DroverAssertions() {
    }

    /** Passes when {@code queue} holds a PENDING task whose payload {@code matches}; returns the first such task. */
    public static <T> TaskRecord assertPushed(TaskQueue<T> queue, Predicate<? super T> matches) {
        List<TaskRecord> found = matching(queue, TaskState.PENDING, matches);
        if (found.isEmpty()) throw new AssertionError("expected a pending task on queue " + queue.name() + " whose payload matches, but none does; "
                + holds(queue));
        return found.getFirst();
    }

    /** Passes when exactly {@code count} PENDING tasks of {@code queue} have a payload that {@code matches}. */
    public static <T> void assertPushed(TaskQueue<T> queue, int count, Predicate<? super T> matches) {
        int found = matching(queue, TaskState.PENDING, matches).size();
        if (found != count) throw new AssertionError("expected " + count + " pending task(s) on queue " + queue.name()
                + " whose payload matches, found " + found + "; " + holds(queue));
    }

    /** Passes when no PENDING task of {@code queue} has a payload that {@code matches}. */
    public static <T> void assertNotPushed(TaskQueue<T> queue, Predicate<? super T> matches) {
        List<TaskRecord> found = matching(queue, TaskState.PENDING, matches);
        if (!found.isEmpty()) throw new AssertionError("expected no pending task on queue " + queue.name() + " whose payload matches, found "
                + found.size() + ": " + show(queue, found));
    }

    /** The tasks of {@code queue} in {@code state} (every state when null) whose payload matches, in push order. */
    static <T> List<TaskRecord> matching(TaskQueue<T> queue, TaskState state, Predicate<? super T> matches) {
        List<TaskRecord> out = new ArrayList<>();
        for (TaskRecord task : all(queue, state)) {
            T payload;
            try {
                payload = queue.codec().decode(task.payload());
            } catch (RuntimeException e) {
                continue; // not the application's type: cannot match; shown by holds()
            }
            if (matches.test(payload)) out.add(task);
        }
        return out;
    }

    /** Every task of {@code queue} in {@code state} (all states when null), paged through in id order. */
    static List<TaskRecord> all(TaskQueue<?> queue, TaskState state) {
        List<TaskRecord> out = new ArrayList<>();
        TaskQuery query = TaskQuery.of(queue.name()).limit(500);
        if (state != null) query = query.state(state);
        while (true) {
            List<TaskRecord> page = queue.list(query);
            out.addAll(page);
            if (page.size() < query.limit()) return out;
            query = query.after(page.getLast().id());
        }
    }

    private static String holds(TaskQueue<?> queue) {
        List<TaskRecord> tasks = all(queue, null);
        return tasks.isEmpty() ? "the queue holds no task" : "the queue holds " + tasks.size() + " task(s): " + show(queue, tasks);
    }

    private static String show(TaskQueue<?> queue, List<TaskRecord> tasks) {
        StringBuilder sb = new StringBuilder();
        for (TaskRecord t : tasks.subList(0, Math.min(SHOWN, tasks.size()))) {
            sb.append("\n  ").append(t.state()).append(' ').append(t.id()).append(": ").append(readable(queue, t));
        }
        if (tasks.size() > SHOWN) sb.append("\n  … and ").append(tasks.size() - SHOWN).append(" more");
        return sb.toString();
    }

    private static String readable(TaskQueue<?> queue, TaskRecord task) {
        String text;
        try {
            text = String.valueOf(queue.codec().decode(task.payload()));
        } catch (RuntimeException e) {
            text = "(not decodable with codec " + queue.codec().name() + ": " + new String(task.payload(), StandardCharsets.UTF_8) + ")";
        }
        return text.length() <= PAYLOAD_CHARS ? text : text.substring(0, PAYLOAD_CHARS) + "…";
    }
}
