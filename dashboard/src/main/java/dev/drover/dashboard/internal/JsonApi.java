package dev.drover.dashboard.internal;

import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskRecord;
import dev.drover.api.admin.AdminJson;
import dev.drover.api.admin.DroverAdmin;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The JSON admin API under {@code /api}, the one the page's own script reads; shapes from {@link AdminJson}, as the
 * {@code drover} tool prints them with {@code --json}. Errors are {@code {"error": "..."}} with a status that says
 * what kind: 400 bad input, 401 no credential, 403 refused, 404 not found, 409 not in a state the action applies to,
 * 413 too large, 503 storage unavailable.
 */
final class JsonApi {
    private final DroverAdmin admin;
    private final Access access;
    private final boolean readOnly;

    JsonApi(DroverAdmin admin, Access access, boolean readOnly) {
        this.admin = admin;
        this.access = access;
        this.readOnly = readOnly;
    }

    /** Answers {@code request}, whose path starts with {@code api}. POSTs were checked for CSRF by the caller. */
    void handle(Request request) throws IOException {
        List<String> p = request.path().subList(1, request.path().size());
        boolean get = !request.method().equals("POST");
        if (get && p.equals(List.of("session"))) {
            ObjectNode n = AdminJson.object().put("backend", admin.describe()).put("readOnly", readOnly).put("csrf", access.csrf());
            ok(request, n);
        } else if (get && p.equals(List.of("queues"))) {
            ArrayNode a = AdminJson.array();
            admin.queues().forEach(q -> a.add(AdminJson.queue(q)));
            ok(request, a);
        } else if (get && p.size() == 2 && p.get(0).equals("queues")) {
            ObjectNode n = AdminJson.queue(admin.queue(p.get(1)));
            n.set("throughput", AdminJson.throughput(admin.throughput(p.get(1), OverviewPage.MINUTES)));
            ok(request, n);
        } else if (get && p.size() == 3 && p.get(0).equals("queues") && p.get(2).equals("throughput")) {
            ok(request, AdminJson.throughput(admin.throughput(p.get(1), intParam(request, "minutes", OverviewPage.MINUTES))));
        } else if (get && p.size() == 3 && p.get(0).equals("queues") && p.get(2).equals("tasks")) {
            String after = request.query("after");
            String before = request.query("before");
            ok(request, AdminJson.page(admin.tasks(p.get(1), DashboardHandler.state(request.query("state")), after == null ? null : TaskId.of(after),
                    before == null ? null : TaskId.of(before), intParam(request, "limit", QueuePage.PAGE))));
        } else if (get && p.size() == 4 && p.get(0).equals("queues") && p.get(2).equals("tasks")) {
            Optional<TaskRecord> task = admin.get(p.get(1), TaskId.of(p.get(3)));
            if (task.isEmpty()) error(request, 404, "no task " + p.get(3) + " in queue " + p.get(1));
            else ok(request, AdminJson.task(task.get(), true));
        } else if (get && p.size() == 2 && p.get(0).equals("tasks")) {
            Optional<TaskRecord> task = admin.find(TaskId.of(p.get(1)));
            if (task.isEmpty()) error(request, 404, "no task " + p.get(1) + " in any queue");
            else ok(request, AdminJson.task(task.get(), true));
        } else if (get && p.equals(List.of("runs"))) {
            ArrayNode a = AdminJson.array();
            WorkflowRuns.recent(admin).forEach(r -> a.add(run(r)));
            ok(request, a);
        } else if (get && p.size() == 3 && p.get(0).equals("runs")) {
            Optional<WorkflowRuns.Run> run = WorkflowRuns.one(admin, p.get(1), p.get(2));
            if (run.isEmpty()) error(request, 404, "no workflow run " + p.get(2) + " in queue " + p.get(1));
            else ok(request, run(run.get()));
        } else if (!get && p.size() == 5 && p.get(0).equals("queues") && p.get(2).equals("tasks") && TaskAction.of(p.get(4)).isPresent()) {
            TaskAction action = TaskAction.of(p.get(4)).get();
            TaskId id = TaskId.of(p.get(3));
            if (action.apply(admin, p.get(1), id)) {
                ok(request, AdminJson.object().put("ok", true).put("message", action.done));
            } else {
                Optional<TaskRecord> task = admin.get(p.get(1), id);
                if (task.isEmpty()) error(request, 404, "no task " + id + " in queue " + p.get(1));
                else error(request, 409, action.path + " does not apply to a " + task.get().state() + " task (" + id + ")");
            }
        } else if (!get && p.size() == 3 && p.get(0).equals("queues") && QueueAction.of(p.get(2)).isPresent()) {
            QueueAction action = QueueAction.of(p.get(2)).get();
            int n = action.apply(admin, p.get(1));
            ObjectNode done = AdminJson.object().put("ok", true).put("message", action.done(n));
            if (action == QueueAction.REQUEUE_DEAD) done.put("requeued", n);
            ok(request, done);
        } else if (!get && p.size() == 3 && p.get(0).equals("queues") && p.get(2).equals("tasks")) {
            TaskId id = admin.push(p.get(1), new String(request.body(), StandardCharsets.UTF_8), TaskOptions.defaults());
            request.json(201, AdminJson.compact(AdminJson.object().put("ok", true).put("id", id.value())));
        } else {
            error(request, 404, "no such API: " + request.method() + " /" + String.join("/", request.path()) + " (see the README's JSON API table)");
        }
    }

    private static ObjectNode run(WorkflowRuns.Run r) {
        ObjectNode n = AdminJson.object().put("run", r.id()).put("workflow", r.workflow()).put("queue", r.queue()).put("status", r.status())
                .put("started", r.started() == null ? null : r.started().toString());
        ArrayNode steps = n.putArray("steps");
        for (WorkflowRuns.Node node : r.nodes()) {
            ObjectNode s = steps.addObject().put("node", node.name()).put("state", node.state().name()).put("task", node.first().id().value());
            ObjectNode counts = s.putObject("counts");
            node.counts().forEach((state, c) -> counts.put(state.name().toLowerCase(java.util.Locale.ROOT), c));
        }
        return n;
    }

    private static int intParam(Request request, String name, int otherwise) {
        String v = request.query(name);
        if (v == null) return otherwise;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number (got \"" + v + "\")");
        }
    }

    private static void ok(Request request, Object node) throws IOException {
        request.json(200, AdminJson.compact(node));
    }

    static void error(Request request, int status, String message) throws IOException {
        request.json(status, AdminJson.compact(AdminJson.object().put("error", message)));
    }
}
