package dev.drover.workflow;

import dev.drover.api.NewTask;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How a step advances its run on a backend without {@link dev.drover.api.Capability#FOLLOW_UPS}, where its completion
 * cannot push its successors in the same transaction. Before completing, the step
 * <ol>
 *   <li>writes its output as an <em>output record</em> ({@code <task>.~output}, a task that is never due, then
 *       cancelled), unless a previous attempt did: then that output is used and the step function is not run again;</li>
 *   <li>pushes each successor, skipping ids already stored, and a join or gather only when every task it awaits has
 *       an output record. Two inputs of a join finishing at once each write their record before checking the other's,
 *       so at least one of them sees both and pushes the join; pushing it twice is harmless.</li>
 * </ol>
 * A crash after step 1 re-runs nothing; a crash in step 2 is repaired by the next attempt, which pushes what is missing.
 * Joins and gathers read their inputs from the output records.
 */
final class Fallback {
    private final Engine engine;

    Fallback(Engine engine) {
        this.engine = engine;
    }

    /** The output a previous attempt of {@code task} recorded, or null. */
    JsonNode recordedOutput(TaskId task) {
        return engine.get(RunIds.outputRecord(task)).map(TaskRecord::payload).map(engine::tree).orElse(null);
    }

    void advance(RunId run, TaskId task, byte[] output, List<Engine.Successor> next) {
        TaskId record = RunIds.outputRecord(task);
        Map<String, String> metadata = Map.of("workflow", engine.workflow.name(), "run", run.value(), "output_of", task.value());
        engine.pushIfAbsent(NewTask.builder(engine.workflow.queue(), output, Engine.CODEC).id(record).runAt(Instant.now().plus(Engine.NEVER)).maxAttempts(1).metadata(metadata).build());
        engine.backend.cancel(engine.workflow.queue(), record); // terminal, so it never counts as work to do
        if (engine.cancelled(run)) return;
        for (Engine.Successor s : next) {
            if (!allRecorded(s, task)) continue; // the last of them to record its output pushes it
            engine.pushIfAbsent(s.task());
        }
    }

    private boolean allRecorded(Engine.Successor s, TaskId self) {
        for (TaskId awaited : s.awaiting()) {
            if (awaited.equals(self)) continue;
            if (engine.get(RunIds.outputRecord(awaited)).isEmpty()) return false;
        }
        return true;
    }
}
