package dev.drover.dashboard.internal;

import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.admin.DroverAdmin;
import dev.drover.api.admin.QueueSummary;
import dev.drover.api.admin.TaskPage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Workflow runs, read back from their tasks: every task of a run has an id starting with {@code wf.RUN.} and carries
 * the metadata {@code workflow}, {@code run} and (for a step) {@code node}, so a run is one range of a queue's ids. A
 * step's elements (a fan-out) are shown as one node. The cancellation marker and output records are not steps.
 */
final class WorkflowRuns {
    static final String PREFIX = "wf.";
    /** Tasks read per queue for the list of runs: a bound on what one page view costs. */
    static final int SCAN = 5000;

    private WorkflowRuns() {
    }

    /** One node of a run: a step, or a fan-out's elements together. */
    record Node(String name, Map<TaskState, Long> counts, Instant enqueuedAt, TaskRecord first) {
        TaskState state() {
            for (TaskState s : new TaskState[] {TaskState.DEAD, TaskState.RUNNING, TaskState.PENDING, TaskState.CANCELLED}) {
                if (counts.getOrDefault(s, 0L) > 0) return s;
            }
            return TaskState.DONE;
        }

        long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A run as its tasks show it. */
    record Run(String queue, String workflow, String id, List<Node> nodes, boolean cancelled, Instant started) {
        String status() {
            if (cancelled) return "cancelled";
            boolean open = false;
            for (Node n : nodes) {
                if (n.counts().getOrDefault(TaskState.DEAD, 0L) > 0) return "failed";
                if (n.counts().getOrDefault(TaskState.PENDING, 0L) + n.counts().getOrDefault(TaskState.RUNNING, 0L) > 0) open = true;
            }
            return open ? "running" : "done";
        }

        Map<TaskState, Long> counts() {
            Map<TaskState, Long> all = new EnumMap<>(TaskState.class);
            for (Node n : nodes) n.counts().forEach((s, c) -> all.merge(s, c, Long::sum));
            return all;
        }
    }

    /** The runs found in the first {@value #SCAN} workflow tasks of each queue, most recently started first. */
    static List<Run> recent(DroverAdmin admin) {
        List<Run> runs = new ArrayList<>();
        for (QueueSummary q : admin.queues()) {
            runs.addAll(scan(admin, q.name().value(), PREFIX, SCAN));
        }
        runs.sort(Comparator.comparing(Run::started, Comparator.nullsLast(Comparator.reverseOrder())));
        return runs;
    }

    static Optional<Run> one(DroverAdmin admin, String queue, String run) {
        List<Run> found = scan(admin, queue, PREFIX + run + ".", Integer.MAX_VALUE);
        return found.stream().filter(r -> r.id().equals(run)).findFirst();
    }

    private static List<Run> scan(DroverAdmin admin, String queue, String prefix, int max) {
        Map<String, List<TaskRecord>> byRun = new LinkedHashMap<>();
        TaskId after = TaskId.of(prefix);
        int read = 0;
        outer:
        while (read < max) {
            TaskPage page = admin.tasks(queue, null, after, null, 500);
            for (TaskRecord t : page.tasks()) {
                if (!t.id().value().startsWith(prefix)) break outer;
                read++;
                String run = t.metadata().get("run");
                if (run != null) byRun.computeIfAbsent(run, k -> new ArrayList<>()).add(t);
            }
            if (page.nextAfter() == null) break;
            after = page.nextAfter();
        }
        List<Run> runs = new ArrayList<>();
        byRun.forEach((run, tasks) -> runs.add(run(queue, run, tasks)));
        return runs;
    }

    private static Run run(String queue, String run, List<TaskRecord> tasks) {
        Map<String, List<TaskRecord>> byNode = new LinkedHashMap<>();
        boolean cancelled = false;
        String workflow = null;
        Instant started = null;
        for (TaskRecord t : tasks) {
            if (workflow == null) workflow = t.metadata().get("workflow");
            if (t.metadata().containsKey("output_of")) continue; // a fallback's output record, not a step
            String node = t.metadata().get("node");
            if (node == null) { // the cancellation marker
                cancelled = true;
                continue;
            }
            byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(t);
            if (started == null || t.enqueuedAt().isBefore(started)) started = t.enqueuedAt();
        }
        List<Node> nodes = new ArrayList<>();
        byNode.forEach((name, steps) -> {
            Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
            Instant first = null;
            TaskRecord firstTask = null;
            for (TaskRecord t : steps) {
                counts.merge(t.state(), 1L, Long::sum);
                if (first == null || t.enqueuedAt().isBefore(first)) {
                    first = t.enqueuedAt();
                    firstTask = t;
                }
            }
            nodes.add(new Node(name, counts, first, firstTask));
        });
        nodes.sort(Comparator.comparing(Node::enqueuedAt).thenComparing(Node::name));
        return new Run(queue, workflow == null ? "workflow" : workflow, run, nodes, cancelled, started);
    }
}
