package dev.drover.dashboard.internal;

import dev.drover.api.FinishedMinute;
import dev.drover.api.TaskState;
import dev.drover.api.admin.DroverAdmin;
import dev.drover.api.admin.QueueSummary;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.drover.dashboard.internal.Html.count;
import static dev.drover.dashboard.internal.Html.esc;
import static dev.drover.dashboard.internal.Html.seg;

/** The first page: every queue with its tasks by state, totals, and the last hour's throughput of all queues. */
final class OverviewPage {
    static final int MINUTES = 60;

    private OverviewPage() {
    }

    static String render(DroverAdmin admin, Layout layout, String flash) {
        List<QueueSummary> queues = admin.queues();
        Map<TaskState, Long> totals = new EnumMap<>(TaskState.class);
        for (TaskState s : TaskState.values()) totals.put(s, 0L);
        List<FinishedMinute> throughput = null;
        for (QueueSummary q : queues) {
            for (TaskState s : TaskState.values()) totals.merge(s, q.count(s), Long::sum);
            throughput = add(throughput, admin.throughput(q.name().value(), MINUTES));
        }
        StringBuilder b = new StringBuilder();
        b.append("<div class=\"heading\"><h1>Queues</h1><span class=\"muted\">").append(queues.size())
                .append(queues.size() == 1 ? " queue" : " queues").append(" · refreshes every 5 s</span></div>");
        b.append("<section class=\"cards\">");
        for (TaskState s : TaskState.values()) {
            String name = s.name().toLowerCase(Locale.ROOT);
            b.append("<div class=\"card ").append(name).append("\"><div class=\"label\">").append(name).append("</div>")
                    .append("<div class=\"value\" data-total=\"").append(name).append("\">").append(count(totals.get(s))).append("</div></div>");
        }
        b.append("</section>");
        b.append("<section class=\"panel\"><h2>Finished per minute <span class=\"muted\">last hour, all queues, UTC</span>")
                .append("<span class=\"legend\"><i class=\"done\"></i>done <i class=\"dead\"></i>dead</span></h2>");
        b.append(throughput == null ? "<p class=\"empty\">No queues yet.</p>" : ThroughputChart.svg(throughput));
        b.append("</section>");
        b.append("<section class=\"panel\"><table class=\"queues\"><thead><tr><th>Queue</th>");
        for (TaskState s : TaskState.values()) b.append("<th class=\"num\">").append(s.name().toLowerCase(Locale.ROOT)).append("</th>");
        b.append("<th>Status</th><th></th></tr></thead><tbody>");
        if (queues.isEmpty()) {
            b.append("<tr><td colspan=\"8\" class=\"empty\">No queue holds a task yet. Push one, and it appears here.</td></tr>");
        }
        for (QueueSummary q : queues) {
            String name = q.name().value();
            String base = "/queues/" + seg(name);
            b.append("<tr data-queue=\"").append(esc(name)).append("\"><td><a class=\"queue\" href=\"").append(esc(base)).append("\">")
                    .append(esc(name)).append("</a></td>");
            for (TaskState s : TaskState.values()) {
                String st = s.name().toLowerCase(Locale.ROOT);
                long n = q.count(s);
                b.append("<td class=\"num\"><a class=\"count ").append(st).append(n == 0 ? " zero" : "").append("\" href=\"")
                        .append(esc(base + "?state=" + st)).append("\" data-count=\"").append(esc(name + ":" + st)).append("\">")
                        .append(count(n)).append("</a></td>");
            }
            b.append("<td>").append(q.paused() ? "<span class=\"pill paused\">paused</span>" : "<span class=\"pill active\">active</span>")
                    .append(limits(q)).append("</td><td class=\"actions\">");
            QueueAction toggle = q.paused() ? QueueAction.RESUME : QueueAction.PAUSE;
            b.append(layout.button(base + "/" + toggle.path, toggle.label, toggle.question, "small secondary"));
            b.append("</td></tr>");
        }
        b.append("</tbody></table></section>");
        return layout.page("Queues", flash, "data-watch-queues=\"/api/queues\"", b.toString());
    }

    static String limits(QueueSummary q) {
        StringBuilder b = new StringBuilder();
        q.limits().maxRunning().ifPresent(c -> b.append(" <span class=\"pill limit\" title=\"at most this many run at once\">≤ ")
                .append(c).append(" at once</span>"));
        q.limits().maxStarts().ifPresent(n -> b.append(" <span class=\"pill limit\" title=\"rate limit\">≤ ").append(n)
                .append(" per ").append(esc(q.limits().rateInterval().map(OverviewPage::human).orElse("?"))).append("</span>"));
        return b.toString();
    }

    private static String human(java.time.Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : d.toMillis() % 1000 == 0 ? s + " s" : d.toMillis() + " ms";
    }

    private static List<FinishedMinute> add(List<FinishedMinute> sum, List<FinishedMinute> more) {
        if (sum == null) return more;
        List<FinishedMinute> out = new ArrayList<>(sum.size());
        for (int i = 0; i < sum.size(); i++) {
            FinishedMinute a = sum.get(i);
            FinishedMinute b = more.get(i);
            out.add(new FinishedMinute(a.minute(), a.done() + b.done(), a.dead() + b.dead()));
        }
        return out;
    }
}
