package dev.drover.api.admin;

import dev.drover.api.AttemptError;
import dev.drover.api.FinishedMinute;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The JSON shapes of the admin operations: one definition, so that the {@code drover} tool's {@code --json} output and
 * the dashboard's JSON API describe a queue, a task and a page the same way. Times are ISO-8601 instants; states are
 * upper case; a payload or result is given as UTF-8 text.
 */
public final class AdminJson {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AdminJson() {
    }

    /** A new, empty object to add fields to. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A new, empty array. */
    public static ArrayNode array() {
        return JSON.createArrayNode();
    }

    /** {@code node} as indented JSON text. */
    public static String pretty(Object node) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    /** {@code node} as compact JSON text. */
    public static String compact(Object node) {
        return JSON.writeValueAsString(node);
    }

    /** {@code {"queue": name, "pending": n, "running": n, "done": n, "dead": n, "cancelled": n, "paused": bool}}. */
    public static ObjectNode queue(QueueSummary q) {
        ObjectNode n = object();
        n.put("queue", q.name().value());
        for (TaskState s : TaskState.values()) n.put(s.name().toLowerCase(Locale.ROOT), q.count(s));
        n.put("paused", q.paused());
        return n;
    }

    /** {@code [{"minute": instant, "done": n, "dead": n}, …]}, oldest first. */
    public static ArrayNode throughput(List<FinishedMinute> minutes) {
        ArrayNode a = array();
        for (FinishedMinute m : minutes) a.addObject().put("minute", m.minute().toString()).put("done", m.done()).put("dead", m.dead());
        return a;
    }

    /** {@code {"tasks": [task…], "before": id or null, "after": id or null}}: the cursors to the neighbouring pages. */
    public static ObjectNode page(TaskPage page) {
        ObjectNode n = object();
        ArrayNode tasks = n.putArray("tasks");
        page.tasks().forEach(t -> tasks.add(task(t, false)));
        n.put("before", page.previousBefore() == null ? null : page.previousBefore().value());
        n.put("after", page.nextAfter() == null ? null : page.nextAfter().value());
        return n;
    }

    /**
     * A task: id, queue, state, priority, attempt, maxAttempts, runAt, enqueuedAt, and where set startedAt, finishedAt
     * and lastError; with {@code full}, also codec, payload, metadata, leaseOwner, leaseExpiresAt, result and attempts
     * ({@code [{"attempt", "at", "worker", "error"}]}).
     */
    public static ObjectNode task(TaskRecord t, boolean full) {
        ObjectNode n = object();
        n.put("id", t.id().value());
        n.put("queue", t.queue().value());
        n.put("state", t.state().name());
        n.put("priority", t.priority());
        n.put("attempt", t.attempt());
        n.put("maxAttempts", t.maxAttempts());
        n.put("runAt", String.valueOf(t.runAt()));
        n.put("enqueuedAt", String.valueOf(t.enqueuedAt()));
        if (t.startedAt() != null) n.put("startedAt", t.startedAt().toString());
        if (t.finishedAt() != null) n.put("finishedAt", t.finishedAt().toString());
        if (t.lastError() != null) n.put("lastError", t.lastError());
        if (full) {
            n.put("codec", t.codec());
            n.put("payload", new String(t.payload(), StandardCharsets.UTF_8));
            ObjectNode meta = n.putObject("metadata");
            t.metadata().forEach(meta::put);
            if (t.leaseOwner() != null) n.put("leaseOwner", t.leaseOwner());
            if (t.leaseExpiresAt() != null) n.put("leaseExpiresAt", t.leaseExpiresAt().toString());
            if (t.result() != null) n.put("result", new String(t.result(), StandardCharsets.UTF_8));
            ArrayNode attempts = n.putArray("attempts");
            for (AttemptError a : t.attempts()) {
                attempts.addObject().put("attempt", a.attempt()).put("at", a.at().toString()).put("worker", a.worker()).put("error", a.error());
            }
        }
        return n;
    }
}
