package dev.drover.pgmq;

import dev.drover.api.InvalidTaskException;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.conformance.Names;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Queue names become PGMQ table names: a name kept for dead-letter queues never reaches them, and the longest name works end to end. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgmqQueueNameTest {

    private static NewTask task(QueueName queue) {
        return NewTask.builder(queue, "{\"n\": 1}".getBytes(StandardCharsets.UTF_8), "json").runAt(Instant.now()).maxAttempts(3).build();
    }

    @Test
    void aNameEndingInDlqIsRefusedByTheApiBeforeThePgmqBackendSeesIt() throws Exception {
        String dlq = Names.queue().value() + "_dlq";
        assertThatThrownBy(() -> QueueName.of(dlq))
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("\"" + dlq + "\"")
                .hasMessageContaining("kept for dead-letter queues on every backend");
        assertThat(Sql.tableExists(PgTestDatabase.URL, "q_" + dlq)).as("a table for the refused name").isFalse();
    }

    @Test
    void theLongestQueueNameWorksEndToEndInPlainMode() throws Exception {
        longestNameEndToEnd(PgTestDatabase.plainUrl());
    }

    @Test
    void theLongestQueueNameWorksEndToEndInExtensionMode() throws Exception {
        longestNameEndToEnd(PgTestDatabase.extensionUrlOrSkip());
    }

    private static void longestNameEndToEnd(String url) throws Exception {
        QueueName queue = QueueName.of("q_" + Names.letters(QueueName.MAX_LENGTH - 2));
        assertThat(queue.value()).hasSize(43);
        NewTask task = task(queue);
        try (Backend backend = Backends.open(url)) {
            backend.push(List.of(task));
            List<ClaimedTask> claimed = backend.claim(queue, Names.worker("long"), 5, Duration.ofSeconds(30));
            assertThat(claimed).extracting(c -> c.task().id()).containsExactly(task.id());
            assertThat(backend.settle(List.of(new Settlement.Complete(claimed.getFirst().lease(), null))))
                    .containsExactly(claimed.getFirst().lease().token());
            assertThat(backend.get(queue, task.id())).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(TaskState.DONE));
            assertThat(backend.counts(queue)).containsExactly(Map.entry(TaskState.DONE, 1L));
        }
        for (String table : List.of("q_" + queue.value(), "a_" + queue.value(), "q_" + queue.value() + "_dlq", "a_" + queue.value() + "_dlq")) {
            assertThat(Sql.tableExists(url, table)).as("table pgmq.%s", table).isTrue();
        }
        assertThat(Sql.rows(url, "SELECT msg_id FROM " + Sql.a(queue) + " WHERE headers->>'drover-id' = ?", task.id().value()))
                .as("the task in the archive").hasSize(1);
        assertThat(Sql.count(url, "SELECT count(*) FROM pgmq.meta WHERE queue_name IN (?, ?)", queue.value(), queue.value() + "_dlq"))
                .as("the queue and its dead-letter queue in pgmq.meta").isEqualTo(2);
    }
}
