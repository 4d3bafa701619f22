package dev.drover.dashboard.internal;

import dev.drover.api.TaskState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.drover.dashboard.internal.Html.esc;
import static dev.drover.dashboard.internal.Html.seg;

/** Workflow runs: the list, and one run as a graph of its steps. */
final class RunsPage {
    private RunsPage() {
    }

    static String list(List<WorkflowRuns.Run> runs, Layout layout) {
        StringBuilder b = new StringBuilder();
        b.append("<div class=\"heading\"><h1>Workflow runs</h1><span class=\"muted\">").append(runs.size())
                .append(runs.size() == 1 ? " run" : " runs").append(" · newest first</span></div>");
        b.append("<section class=\"panel flush\"><table class=\"runs\"><thead><tr><th>Run</th><th>Workflow</th><th>Queue</th><th>Status</th>")
                .append("<th>Steps</th><th>Started</th></tr></thead><tbody>");
        if (runs.isEmpty()) {
            b.append("<tr><td colspan=\"6\" class=\"empty\">No workflow run in any queue. Runs of <code>drover-workflow</code> appear here.</td></tr>");
        }
        for (WorkflowRuns.Run r : runs) {
            b.append("<tr><td><a class=\"id\" href=\"/runs/").append(esc(seg(r.queue()))).append('/').append(esc(seg(r.id()))).append("\">")
                    .append(esc(r.id())).append("</a></td><td>").append(esc(r.workflow())).append("</td><td>").append(esc(r.queue()))
                    .append("</td><td><span class=\"badge run-").append(r.status()).append("\">").append(r.status()).append("</span></td><td>")
                    .append(counts(r.counts())).append("</td><td>").append(Html.time(r.started())).append("</td></tr>");
        }
        b.append("</tbody></table></section>");
        return layout.page("Workflow runs", null, null, b.toString());
    }

    static String one(WorkflowRuns.Run r, Layout layout) {
        StringBuilder b = new StringBuilder();
        b.append("<nav class=\"crumbs\"><a href=\"/runs\">Workflow runs</a> / <span>").append(esc(r.id())).append("</span></nav>");
        b.append("<div class=\"heading\"><h1>").append(esc(r.workflow())).append(" <span class=\"muted id\">").append(esc(r.id()))
                .append("</span></h1><span class=\"badge run-").append(r.status()).append("\">").append(r.status()).append("</span></div>");
        b.append("<section class=\"panel\"><h2>Steps <span class=\"muted\">in the order they were created; steps in one column were created together</span></h2>");
        b.append("<div class=\"graph\">");
        List<List<WorkflowRuns.Node>> columns = new ArrayList<>();
        for (WorkflowRuns.Node n : r.nodes()) {
            List<WorkflowRuns.Node> last = columns.isEmpty() ? null : columns.getLast();
            if (last != null && last.getFirst().enqueuedAt().equals(n.enqueuedAt())) last.add(n);
            else columns.add(new ArrayList<>(List.of(n)));
        }
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) b.append("<div class=\"edge\" aria-hidden=\"true\">→</div>");
            b.append("<div class=\"column\">");
            for (WorkflowRuns.Node n : columns.get(c)) {
                String st = n.state().name().toLowerCase(Locale.ROOT);
                b.append("<a class=\"node ").append(st).append("\" href=\"/queues/").append(esc(seg(r.queue()))).append("/tasks/")
                        .append(esc(seg(n.first().id()))).append("\"><span class=\"name\">").append(esc(n.name())).append("</span><span class=\"state\">")
                        .append(n.total() > 1 ? n.counts().getOrDefault(TaskState.DONE, 0L) + "/" + n.total() + " done" : st).append("</span></a>");
            }
            b.append("</div>");
        }
        if (r.nodes().isEmpty()) b.append("<p class=\"empty\">No step of this run is stored.</p>");
        b.append("</div></section>");
        return layout.page("Run " + r.id(), null, null, b.toString());
    }

    private static String counts(Map<TaskState, Long> counts) {
        StringBuilder b = new StringBuilder();
        for (TaskState s : TaskState.values()) {
            long n = counts.getOrDefault(s, 0L);
            if (n > 0) b.append("<span class=\"count ").append(s.name().toLowerCase(Locale.ROOT)).append("\">").append(n).append(' ')
                    .append(s.name().toLowerCase(Locale.ROOT)).append("</span> ");
        }
        return b.toString();
    }
}
