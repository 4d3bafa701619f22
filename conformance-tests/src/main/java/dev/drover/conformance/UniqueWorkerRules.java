package dev.drover.conformance;

import dev.drover.api.PushResult;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.worker.Worker;
import dev.drover.conformance.child.Message;
import dev.drover.conformance.child.UniquePusherMain;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.drover.api.Capability.MULTI_PROCESS;
import static dev.drover.api.Capability.UNIQUE_TASKS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker rule W24: unique keys across processes ({@code SPEC.md}). Needs {@link dev.drover.api.Capability#UNIQUE_TASKS}
 * and {@link dev.drover.api.Capability#MULTI_PROCESS}.
 */
abstract class UniqueWorkerRules {
    static final int KEYS = 25;
    static final int CHILDREN = 2;

    final WorkerContract kit;

    UniqueWorkerRules(WorkerContract kit) {
        this.kit = kit;
    }

    @Test
    @DisplayName("W24 (optional: UNIQUE_TASKS, MULTI_PROCESS) Two child JVMs and this one push the same 25 unique keys at once through TaskQueue: each key stores exactly one task, every push of it reports that task's id, exactly one push of it reports stored, and a worker runs each key's task once")
    void optional_W24_uniqueKeysHoldAcrossProcesses() {
        kit.requires(UNIQUE_TASKS, "W24");
        kit.requires(MULTI_PROCESS, "W24");
        TaskQueue<Message> queue = kit.messages(kit.drover());
        String prefix = "w24-" + Names.letters(6) + "-";
        Map<String, Set<TaskId>> ids = new HashMap<>();
        Map<String, Integer> storedReports = new HashMap<>();
        List<ChildJvm> pushers = new ArrayList<>();
        try {
            for (int i = 0; i < CHILDREN; i++) {
                ChildJvm child = ChildJvm.start(UniquePusherMain.class, kit.kitDir.resolve("children"), kit.url(), queue.name().value(),
                        prefix, String.valueOf(KEYS));
                kit.children.add(child);
                pushers.add(child);
            }
            for (ChildJvm child : pushers) child.awaitLineStartingWith("READY", Duration.ofSeconds(45));
            for (ChildJvm child : pushers) child.send("GO");
            for (int n = 0; n < KEYS; n++) {
                String key = prefix + n;
                PushResult.Entry e = queue.pushAllReporting(List.of(new Message("parent", n)), TaskOptions.defaults().unique(key)).entries().getFirst();
                ids.computeIfAbsent(key, k -> new HashSet<>()).add(e.id());
                if (e.stored()) storedReports.merge(key, 1, Integer::sum);
            }
            for (ChildJvm child : pushers) {
                assertThat(child.awaitExit(Duration.ofSeconds(60))).as("exit code of %s%s", child, child.stderrTail()).isZero();
                for (String line : child.linesStartingWith("PUSHED ")) {
                    String[] parts = line.split(" ");
                    ids.computeIfAbsent(parts[1], k -> new HashSet<>()).add(TaskId.of(parts[2]));
                    if (parts[3].equals("stored")) storedReports.merge(parts[1], 1, Integer::sum);
                }
            }
        } finally {
            pushers.forEach(ChildJvm::close);
        }
        assertThat(ids).as("keys pushed").hasSize(KEYS);
        ids.forEach((key, standing) -> assertThat(standing).as("ids reported for key %s by the three processes", key).hasSize(1));
        storedReports.forEach((key, n) -> assertThat(n).as("pushes of key %s reported stored", key).isEqualTo(1));
        assertThat(storedReports).as("keys with a push reported stored").hasSize(KEYS);

        Set<TaskId> holders = new HashSet<>();
        ids.values().forEach(holders::addAll);
        Map<TaskId, Integer> ran = new ConcurrentHashMap<>();
        Worker<Message> worker = kit.start(kit.drover().worker(queue, task -> ran.merge(task.id(), 1, Integer::sum))
                .concurrency(4).pollInterval(WorkerContract.FAST_POLL_MIN, WorkerContract.FAST_POLL_MAX));
        Await.until(WorkerContract.WAIT, () -> ran.size() >= KEYS, "the worker runs the " + KEYS + " stored tasks");
        worker.shutdown(Duration.ofSeconds(10));
        assertThat(ran.keySet()).as("tasks run").containsExactlyInAnyOrderElementsOf(holders);
        assertThat(ran.values()).as("runs per task").allMatch(n -> n == 1);
        if (kit.has(dev.drover.api.Capability.INSPECTION)) {
            assertThat(queue.counts().getOrDefault(TaskState.DONE, 0L)).as("tasks of the queue DONE").isEqualTo(KEYS);
        }
    }
}
