package dev.drover.dashboard.internal;

import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.admin.DroverAdmin;
import dev.drover.api.admin.QueueSummary;
import dev.drover.api.admin.TaskPage;

import java.time.Instant;
import java.util.Locale;

import static dev.drover.dashboard.internal.Html.count;
import static dev.drover.dashboard.internal.Html.esc;
import static dev.drover.dashboard.internal.Html.q;
import static dev.drover.dashboard.internal.Html.seg;

/** One queue: its counts as tabs, its throughput, and a page of its tasks of one state (or all), both ways. */
final class QueuePage {
    static final int PAGE = 50;

    private QueuePage() {
    }

    static String render(DroverAdmin admin, Layout layout, String queue, TaskState state, TaskId after, TaskId before, String flash) {
        QueueSummary summary = admin.queue(queue);
        TaskPage page = admin.tasks(queue, state, after, before, PAGE);
        String base = "/queues/" + seg(queue);
        Instant now = Instant.now();
        StringBuilder b = new StringBuilder();
        b.append("<nav class=\"crumbs\"><a href=\"/\">Queues</a> / <span>").append(esc(queue)).append("</span></nav>");
        b.append("<div class=\"heading\"><h1>").append(esc(queue)).append("</h1>")
                .append(summary.paused() ? "<span class=\"pill paused\">paused</span>" : "<span class=\"pill active\">active</span>")
                .append(OverviewPage.limits(summary)).append("<span class=\"grow\"></span>");
        QueueAction toggle = summary.paused() ? QueueAction.RESUME : QueueAction.PAUSE;
        b.append(layout.button(base + "/" + toggle.path, toggle.label, toggle.question, "secondary"));
        if (summary.count(TaskState.DEAD) > 0) {
            b.append(layout.button(base + "/" + QueueAction.REQUEUE_DEAD.path, QueueAction.REQUEUE_DEAD.label + " (" + count(summary.count(TaskState.DEAD)) + ")",
                    QueueAction.REQUEUE_DEAD.question, "primary"));
        }
        b.append("</div>");
        b.append("<section class=\"panel\"><h2>Finished per minute <span class=\"muted\">last hour, UTC</span>")
                .append("<span class=\"legend\"><i class=\"done\"></i>done <i class=\"dead\"></i>dead</span></h2>")
                .append(ThroughputChart.svg(admin.throughput(queue, OverviewPage.MINUTES))).append("</section>");
        b.append("<nav class=\"tabs\" aria-label=\"States\"><a href=\"").append(esc(base)).append("\"").append(state == null ? " class=\"on\"" : "")
                .append(">all <span class=\"n\">").append(count(summary.total())).append("</span></a>");
        for (TaskState s : TaskState.values()) {
            String st = s.name().toLowerCase(Locale.ROOT);
            b.append("<a href=\"").append(esc(base + "?state=" + st)).append("\" class=\"").append(st).append(s == state ? " on" : "")
                    .append("\">").append(st).append(" <span class=\"n\">").append(count(summary.count(s))).append("</span></a>");
        }
        b.append("</nav>");
        b.append("<section class=\"panel flush\"><table class=\"tasks\"><thead><tr><th>Task</th><th>State</th><th class=\"num\">Attempt</th>")
                .append("<th class=\"num\">Priority</th><th>Run at</th><th>Enqueued</th><th>Last error</th></tr></thead><tbody>");
        if (page.tasks().isEmpty()) {
            b.append("<tr><td colspan=\"7\" class=\"empty\">No ").append(state == null ? "" : state.name().toLowerCase(Locale.ROOT) + " ")
                    .append("tasks here.</td></tr>");
        }
        for (TaskRecord t : page.tasks()) {
            b.append("<tr><td><a class=\"id\" href=\"").append(esc(base + "/tasks/" + seg(t.id()))).append("\">").append(esc(t.id())).append("</a></td>")
                    .append("<td>").append(Layout.badge(t.state())).append("</td>")
                    .append("<td class=\"num\">").append(t.attempt()).append(" / ").append(t.maxAttempts()).append("</td>")
                    .append("<td class=\"num\">").append(t.priority()).append("</td>")
                    .append("<td>").append(Html.time(t.runAt())).append(" <span class=\"muted\">").append(Html.relative(t.runAt(), now)).append("</span></td>")
                    .append("<td>").append(Html.time(t.enqueuedAt())).append("</td>")
                    .append("<td class=\"error\">").append(esc(firstLine(t.lastError()))).append("</td></tr>");
        }
        b.append("</tbody></table></section>");
        String filter = state == null ? "" : "state=" + state.name().toLowerCase(Locale.ROOT) + "&";
        b.append("<nav class=\"pager\">");
        if (page.previousBefore() != null) {
            b.append("<a class=\"button secondary\" rel=\"prev\" href=\"").append(esc(base + "?" + filter + "before=" + q(page.previousBefore())))
                    .append("\">← Previous</a>");
        } else {
            b.append("<span class=\"button secondary disabled\">← Previous</span>");
        }
        if (page.nextAfter() != null) {
            b.append("<a class=\"button secondary\" rel=\"next\" href=\"").append(esc(base + "?" + filter + "after=" + q(page.nextAfter())))
                    .append("\">Next →</a>");
        } else {
            b.append("<span class=\"button secondary disabled\">Next →</span>");
        }
        b.append("</nav>");
        return layout.page(queue, flash, null, b.toString());
    }

    static String firstLine(String text) {
        if (text == null) return "";
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() <= 120 ? line : line.substring(0, 117) + "…";
    }
}
