package dev.drover.dashboard.internal;

import dev.drover.api.AttemptError;
import dev.drover.api.TaskRecord;

import java.time.Instant;
import java.util.Map;

import static dev.drover.dashboard.internal.Html.esc;
import static dev.drover.dashboard.internal.Html.seg;

/** One task: what it is, where it stands, its payload, result, attempts and metadata, and what can be done to it. */
final class TaskView {
    private TaskView() {
    }

    static String render(TaskRecord t, Layout layout, int payloadLimit, String flash) {
        String queue = t.queue().value();
        String base = "/queues/" + seg(queue) + "/tasks/" + seg(t.id());
        String api = "/api" + base;
        Instant now = Instant.now();
        StringBuilder b = new StringBuilder();
        b.append("<nav class=\"crumbs\"><a href=\"/\">Queues</a> / <a href=\"/queues/").append(esc(seg(queue))).append("\">").append(esc(queue))
                .append("</a> / <span>task</span></nav>");
        b.append("<div class=\"heading\"><h1 class=\"id\">").append(esc(t.id())).append("</h1>")
                .append("<span id=\"task-state\">").append(Layout.badge(t.state())).append("</span><span class=\"grow\"></span>");
        for (TaskAction a : TaskAction.values()) {
            if (a.states.contains(t.state())) {
                b.append(layout.button(base + "/" + a.path, a.label, a.question, a == TaskAction.DELETE || a == TaskAction.CANCEL ? "danger" : "primary"));
            }
        }
        b.append("</div>");

        b.append("<section class=\"panel\"><dl class=\"facts\">");
        fact(b, "Queue", "<a href=\"/queues/" + esc(seg(queue)) + "\">" + esc(queue) + "</a>");
        fact(b, "State", Layout.badge(t.state()));
        fact(b, "Attempt", t.attempt() + " of " + t.maxAttempts());
        fact(b, "Priority", String.valueOf(t.priority()));
        fact(b, "Run at", Html.time(t.runAt()) + " <span class=\"muted\">" + Html.relative(t.runAt(), now) + "</span>");
        fact(b, "Enqueued", Html.time(t.enqueuedAt()));
        fact(b, "Started", Html.time(t.startedAt()));
        fact(b, "Finished", Html.time(t.finishedAt()));
        fact(b, t.state() == dev.drover.api.TaskState.RUNNING ? "Lease owner" : "Last worker", t.leaseOwner() == null ? "<span class=\"muted\">—</span>" : "<code>" + esc(t.leaseOwner()) + "</code>");
        fact(b, "Lease expires", t.leaseExpiresAt() == null ? Html.time(null)
                : Html.time(t.leaseExpiresAt()) + " <span class=\"muted\">" + Html.relative(t.leaseExpiresAt(), now) + "</span>");
        fact(b, "Codec", "<code>" + esc(t.codec()) + "</code>");
        String run = t.metadata().get("run");
        if (run != null) {
            fact(b, "Workflow run", "<a href=\"/runs/" + esc(seg(queue)) + "/" + esc(seg(run)) + "\">" + esc(t.metadata().getOrDefault("workflow", "run"))
                    + " · " + esc(run) + "</a>");
        }
        b.append("</dl></section>");

        if (t.lastError() != null) {
            b.append("<section class=\"panel\"><h2>Last error</h2>").append(error(t.lastError())).append("</section>");
        }
        b.append("<section class=\"panel\"><h2>Payload</h2>").append(PayloadView.render(t.payload(), payloadLimit, api)).append("</section>");
        if (t.result() != null) {
            b.append("<section class=\"panel\"><h2>Result</h2>").append(PayloadView.render(t.result(), payloadLimit, api)).append("</section>");
        }
        b.append("<section class=\"panel\"><h2>Attempts</h2>");
        if (t.attempts().isEmpty()) {
            b.append("<p class=\"empty\">No failed attempt recorded.</p>");
        } else {
            b.append("<table class=\"attempts\"><thead><tr><th class=\"num\">#</th><th>At</th><th>Worker</th><th>Error</th></tr></thead><tbody>");
            for (AttemptError a : t.attempts()) {
                b.append("<tr><td class=\"num\">").append(a.attempt()).append("</td><td>").append(Html.time(a.at())).append("</td><td><code>")
                        .append(esc(a.worker())).append("</code></td><td>").append(error(a.error())).append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("</section>");
        b.append("<section class=\"panel\"><h2>Metadata</h2>");
        if (t.metadata().isEmpty()) {
            b.append("<p class=\"empty\">None.</p>");
        } else {
            b.append("<table class=\"meta\"><tbody>");
            for (Map.Entry<String, String> e : t.metadata().entrySet()) {
                b.append("<tr><th>").append(esc(e.getKey())).append("</th><td><code>").append(esc(e.getValue())).append("</code></td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("</section>");
        String watch = "data-watch-task=\"" + esc(api) + "\" data-state=\"" + esc(t.state().name()) + "\"";
        return layout.page("Task " + t.id().value(), flash, watch, b.toString());
    }

    /** An error's first line, and the rest (a stack trace) folded away. */
    static String error(String text) {
        int nl = text.indexOf('\n');
        if (nl < 0) return "<pre class=\"error-text\">" + esc(text) + "</pre>";
        String rest = text.substring(nl + 1);
        long lines = rest.lines().count();
        return "<pre class=\"error-text\">" + esc(text.substring(0, nl)) + "</pre><details><summary>" + lines + (lines == 1 ? " more line" : " more lines")
                + "</summary><pre class=\"error-text scroll\">" + esc(rest) + "</pre></details>";
    }

    private static void fact(StringBuilder b, String label, String html) {
        b.append("<div><dt>").append(esc(label)).append("</dt><dd>").append(html).append("</dd></div>");
    }
}
