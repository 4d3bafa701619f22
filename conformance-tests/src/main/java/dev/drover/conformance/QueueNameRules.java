package dev.drover.conformance;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.conformance.KitTasks.count;
import static dev.drover.conformance.KitTasks.task;
import static dev.drover.conformance.KitTasks.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rule S36: queue names ({@code SPEC.md}).
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code QueueNames} binds them to the
 * storage of the running test.
 */
abstract class QueueNameRules extends StorageRules {
    QueueNameRules(StorageContract kit) {
        super(kit);
    }

    /** Valid names at the edges of {@link QueueName}'s one rule, each made unique to this test by random letters. */
    private static List<QueueName> edgeNames() {
        String r = Names.letters(8);
        String longest = "q" + r;
        longest = longest + "9_".repeat(QueueName.MAX_LENGTH).substring(0, QueueName.MAX_LENGTH - longest.length());
        return List.of(
                QueueName.of(longest),                  // the longest name, ending in _ or a digit
                QueueName.of(r + "0123456789"),         // digits
                QueueName.of(r + "__x__"),              // runs of underscores
                QueueName.of(r + "_dlq_x"),             // the dead-letter suffix inside a name
                QueueName.of("dlq_" + r),
                QueueName.of("select_" + r),            // an SQL keyword
                QueueName.of(r),                        // a name and ...
                QueueName.of("a_" + r),                 // ... the same name behind PGMQ's archive prefix
                QueueName.of("q_" + r));                // ... and behind its queue prefix
    }

    @Test
    @DisplayName("S36 (required) Every name QueueName accepts works on every backend: push, claim, settle and inspection on the longest name, digits, runs of underscores, _dlq inside a name, an SQL keyword, and names that differ only by a backend's table prefix, each queue isolated from the others")
    void required_S36_everyValidQueueNameWorks() {
        List<QueueName> queues = edgeNames();
        Map<QueueName, List<NewTask>> pushed = new LinkedHashMap<>();
        for (QueueName queue : queues) {
            pushed.put(queue, pushAll(List.of(task(queue).build(), task(queue).build())));
        }
        WorkerId worker = Names.worker("s36");
        for (QueueName queue : queues) {
            List<ClaimedTask> claimed = backend().claim(queue, worker, 10, LONG_LEASE);
            assertThat(ids(claimed)).as("the tasks claimed from queue %s", queue)
                    .containsExactlyInAnyOrderElementsOf(newIds(pushed.get(queue)));
            assertThat(claimed).allSatisfy(c -> assertThat(c.task().queue()).isEqualTo(queue));
            Set<LeaseToken> applied = backend().settle(List.of(
                    new Settlement.Complete(claimed.get(0).lease(), utf8("done"), List.of()),
                    new Settlement.Kill(claimed.get(1).lease(), "killed on " + queue)));
            assertThat(applied).as("settlements on queue %s", queue).hasSize(2);
            if (has(INSPECTION)) {
                Map<TaskState, Long> counts = backend().counts(queue);
                assertThat(count(counts, TaskState.DONE)).as("DONE on %s", queue).isEqualTo(1);
                assertThat(count(counts, TaskState.DEAD)).as("DEAD on %s", queue).isEqualTo(1);
                assertThat(stored(queue, claimed.get(1).task().id()).lastError()).isEqualTo("killed on " + queue);
                assertThat(backend().list(TaskQuery.of(queue))).as("list of %s", queue).hasSize(2);
                assertThat(backend().requeue(queue, claimed.get(1).task().id())).as("requeue on %s", queue).isTrue();
                assertThat(ids(backend().claim(queue, worker, 10, LONG_LEASE))).containsExactly(claimed.get(1).task().id());
            }
        }
    }
}
