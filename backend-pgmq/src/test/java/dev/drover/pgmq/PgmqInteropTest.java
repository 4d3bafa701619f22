package dev.drover.pgmq;

import dev.drover.api.DoNotRetryException;
import dev.drover.api.Drover;
import dev.drover.api.QueueName;
import dev.drover.api.Task;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.codec.BytesCodec;
import dev.drover.api.codec.JsonCodec;
import dev.drover.api.worker.Worker;
import dev.drover.conformance.Await;
import dev.drover.conformance.Names;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drover's tasks are PGMQ messages other PGMQ clients can send, read and inspect with SQL, and messages those
 * clients send are Drover tasks: the mapping of {@link QueueSql}'s class comment, checked from both sides.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgmqInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A JSON payload as another client would send it. */
    record Counter(int n) {
    }

    /** A JSON payload Drover pushes. */
    record Order(String item, int qty) {
    }

    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        List<AutoCloseable> reversed = new ArrayList<>(opened);
        Collections.reverse(reversed);
        Exception first = null;
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }

    private Drover open(String url) {
        Drover drover = Drover.open(url);
        opened.add(drover);
        return drover;
    }

    private <T> Worker<T> start(Worker.Builder<T> builder) {
        Worker<T> worker = builder.pollInterval(Duration.ofMillis(20), Duration.ofMillis(200)).build();
        opened.add(() -> worker.shutdown(Duration.ofSeconds(5)));
        return worker.start();
    }

    private static void awaitState(TaskQueue<?> queue, TaskId id, TaskState state) {
        Await.until(WAIT, () -> queue.get(id).map(r -> r.state() == state).orElse(false),
                "task " + id + " of queue " + queue.name() + " is " + state);
    }

    // ---- plain-SQL mode: another client's SQL against Drover's tables ----

    @Test
    void aMessageInsertedWithPlainSqlRunsOnADroverWorkerAsPgmqMsgIdAndIsArchivedDone() throws Exception {
        String url = PgTestDatabase.plainUrl();
        QueueName name = Names.queue();
        Drover drover = open(url);
        TaskQueue<Counter> queue = drover.queue(name.value(), Counter.class);
        queue.counts(); // makes the queue's tables

        long msgId = (Long) Sql.value(url, "INSERT INTO " + Sql.q(name)
                + " (vt, message, headers) VALUES (clock_timestamp(), '{\"n\": 7}'::jsonb, NULL) RETURNING msg_id");
        TaskId id = TaskId.of("pgmq-" + msgId);

        TaskRecord before = drover.backend().get(name, id).orElseThrow(() -> new AssertionError("message " + msgId + " is no task"));
        assertThat(before.id()).isEqualTo(id);
        assertThat(before.state()).isEqualTo(TaskState.PENDING);
        assertThat(before.codec()).isEqualTo(JsonCodec.NAME);
        assertThat(before.attempt()).isZero();
        assertThat(JsonCodec.of(Counter.class).decode(before.payload())).isEqualTo(new Counter(7));

        List<Task<Counter>> handled = new CopyOnWriteArrayList<>();
        start(drover.worker(queue, handled::add));
        awaitState(queue, id, TaskState.DONE);

        assertThat(handled).singleElement().satisfies(task -> {
            assertThat(task.id()).isEqualTo(id);
            assertThat(task.payload()).isEqualTo(new Counter(7));
            assertThat(task.attempt()).isEqualTo(1);
        });
        List<Map<String, Object>> archived = Sql.rows(url, "SELECT msg_id, headers->>'drover-outcome' AS outcome FROM "
                + Sql.a(name) + " WHERE msg_id = ?", msgId);
        assertThat(archived).as("the message in the archive table").singleElement()
                .satisfies(row -> assertThat(row.get("outcome")).isEqualTo("done"));
        assertThat(Sql.count(url, "SELECT count(*) FROM " + Sql.q(name))).as("messages left in the queue table").isZero();
    }

    @Test
    void aTaskPushedWithTheJsonCodecIsAJsonMessageWithItsIdInTheHeaders() throws Exception {
        String url = PgTestDatabase.plainUrl();
        QueueName name = Names.queue();
        TaskQueue<Order> queue = open(url).queue(name.value(), Order.class);
        TaskId id = queue.push(new Order("book", 2));

        List<Map<String, Object>> rows = Sql.rows(url, "SELECT msg_id, read_ct, vt, message::text AS message, "
                + "message->>'item' AS item, (message->>'qty')::int AS qty, jsonb_typeof(message) AS kind, "
                + "message = '{\"qty\": 2, \"item\": \"book\"}'::jsonb AS same, headers->>'drover-id' AS drover_id, "
                + "headers->>'drover-codec' AS codec, (headers->'drover-encoding') IS NOT NULL AS encoded FROM " + Sql.q(name));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("kind")).isEqualTo("object");
            assertThat(row.get("item")).isEqualTo("book");
            assertThat(row.get("qty")).isEqualTo(2);
            assertThat(row.get("same")).as("message equals the payload as jsonb").isEqualTo(true);
            assertThat(row.get("drover_id")).isEqualTo(id.value());
            assertThat(row.get("codec")).isEqualTo(JsonCodec.NAME);
            assertThat(row.get("encoded")).as("has drover-encoding").isEqualTo(false);
            assertThat(row.get("read_ct")).isEqualTo(0);
            assertThat(row.get("vt")).isNotNull();
        });
    }

    @Test
    void aBytesPayloadIsStoredAsABase64StringFlaggedInTheHeadersAndComesBackByteForByte() throws Exception {
        String url = PgTestDatabase.plainUrl();
        QueueName name = Names.queue();
        Drover drover = open(url);
        TaskQueue<byte[]> queue = drover.queue(name.value(), BytesCodec.INSTANCE);
        byte[] payload = new byte[256];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) i; // NUL, invalid UTF-8, everything
        TaskId id = queue.push(payload);

        List<Map<String, Object>> rows = Sql.rows(url, "SELECT jsonb_typeof(message) AS kind, message #>> '{}' AS text, "
                + "headers->>'drover-encoding' AS encoding, headers->>'drover-codec' AS codec, headers->>'drover-id' AS drover_id FROM "
                + Sql.q(name));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("kind")).isEqualTo("string");
            assertThat(row.get("text")).isEqualTo(Base64.getEncoder().encodeToString(payload));
            assertThat(row.get("encoding")).isEqualTo("base64");
            assertThat(row.get("codec")).isEqualTo(BytesCodec.NAME);
            assertThat(row.get("drover_id")).isEqualTo(id.value());
        });
        TaskRecord stored = queue.get(id).orElseThrow();
        assertThat(stored.codec()).isEqualTo(BytesCodec.NAME);
        assertThat(stored.payload()).isEqualTo(payload);

        List<byte[]> handled = new CopyOnWriteArrayList<>();
        start(drover.worker(queue, task -> handled.add(task.payload())));
        awaitState(queue, id, TaskState.DONE);
        assertThat(handled).singleElement().isEqualTo(payload);
    }

    @Test
    void aKilledTaskIsInTheDeadLetterQueueTableWithItsErrorAndRequeueBringsItBack() throws Exception {
        String url = PgTestDatabase.plainUrl();
        QueueName name = Names.queue();
        Drover drover = open(url);
        TaskQueue<Order> queue = drover.queue(name.value(), Order.class);
        TaskId id = queue.push(new Order("broken", 1));

        Worker<Order> worker = start(drover.worker(queue, task -> {
            throw new DoNotRetryException("no such customer 42");
        }));
        awaitState(queue, id, TaskState.DEAD);
        worker.shutdown(Duration.ofSeconds(5)); // so the requeued task is not run again

        List<Map<String, Object>> dead = Sql.rows(url, "SELECT msg_id, headers->>'drover-id' AS drover_id, "
                + "headers->>'drover-error' AS error, message->>'item' AS item FROM " + Sql.dlq(name));
        assertThat(dead).as("rows of the dead-letter queue table").singleElement().satisfies(row -> {
            assertThat(row.get("drover_id")).isEqualTo(id.value());
            assertThat((String) row.get("error")).contains("no such customer 42");
            assertThat(row.get("item")).as("the payload goes with it").isEqualTo("broken");
        });
        assertThat(Sql.count(url, "SELECT count(*) FROM " + Sql.q(name))).as("messages left in the queue table").isZero();
        assertThat(queue.counts()).containsEntry(TaskState.DEAD, 1L)
                .doesNotContainKeys(TaskState.PENDING, TaskState.RUNNING, TaskState.DONE);
        assertThat(queue.get(id).orElseThrow().lastError()).contains("no such customer 42");

        assertThat(queue.requeue(id)).isTrue();

        TaskRecord requeued = queue.get(id).orElseThrow();
        assertThat(requeued.state()).isEqualTo(TaskState.PENDING);
        assertThat(requeued.attempt()).isZero();
        assertThat(Sql.rows(url, "SELECT read_ct, message->>'item' AS item FROM " + Sql.q(name) + " WHERE headers->>'drover-id' = ?",
                id.value())).as("the task back in the queue table").singleElement().satisfies(row -> {
            assertThat(row.get("read_ct")).isEqualTo(0);
            assertThat(row.get("item")).isEqualTo("broken");
        });
        assertThat(Sql.count(url, "SELECT count(*) FROM " + Sql.dlq(name))).as("messages left in the dead-letter queue table").isZero();
        assertThat(queue.counts()).containsEntry(TaskState.PENDING, 1L).doesNotContainKey(TaskState.DEAD);
    }

    @Test
    void aMessageFromAnotherClientKeepsItsIdWhenRequeuedFromTheDeadLetterQueue() throws Exception {
        String url = PgTestDatabase.plainUrl();
        QueueName name = Names.queue();
        Drover drover = open(url);
        Backend backend = drover.backend();
        backend.counts(name);
        long msgId = (Long) Sql.value(url, "INSERT INTO " + Sql.q(name)
                + " (vt, message, headers) VALUES (clock_timestamp(), '{\"n\": 7}'::jsonb, NULL) RETURNING msg_id");
        TaskId id = TaskId.of("pgmq-" + msgId);
        List<ClaimedTask> claimed = backend.claim(name, Names.worker("interop"), 1, Duration.ofSeconds(30));
        assertThat(claimed).extracting(c -> c.task().id()).containsExactly(id);
        backend.settle(List.of(new Settlement.Kill(claimed.getFirst().lease(), "no such counter")));
        assertThat(backend.get(name, id)).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(TaskState.DEAD));

        assertThat(backend.requeue(name, id)).isTrue();

        assertThat(backend.list(TaskQuery.of(name))).extracting(TaskRecord::id).containsExactly(id); // listed under its id...
        assertThat(backend.get(name, id)).as("get after the requeue") // ...so get finds it too
                .hasValueSatisfying(r -> {
                    assertThat(r.state()).isEqualTo(TaskState.PENDING);
                    assertThat(r.attempt()).isZero();
                });
        assertThat(backend.cancel(name, id).cancelled()).as("cancel of the requeued task").isTrue();
        assertThat(backend.get(name, id)).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(TaskState.CANCELLED));
    }

    @Test
    void aMessageFromAnotherClientWithJsonNullHeadersIsPendingWithItsErrorAfterARetry() throws Exception {
        String url = PgTestDatabase.plainUrl();
        QueueName name = Names.queue();
        Backend backend = open(url).backend();
        backend.counts(name);
        long msgId = (Long) Sql.value(url, "INSERT INTO " + Sql.q(name)
                + " (vt, message, headers) VALUES (clock_timestamp(), '{\"n\": 7}'::jsonb, 'null'::jsonb) RETURNING msg_id");
        TaskId id = TaskId.of("pgmq-" + msgId);
        List<ClaimedTask> claimed = backend.claim(name, Names.worker("interop"), 1, Duration.ofSeconds(30));
        assertThat(claimed).extracting(c -> c.task().id()).containsExactly(id);

        assertThat(backend.settle(List.of(new Settlement.Retry(claimed.getFirst().lease(), Duration.ofMinutes(1), "try later"))))
                .hasSize(1);

        assertThat(backend.get(name, id)).hasValueSatisfying(r -> {
            assertThat(r.state()).isEqualTo(TaskState.PENDING);
            assertThat(r.lastError()).isEqualTo("try later");
        });
        assertThat(backend.counts(name)).containsExactly(Map.entry(TaskState.PENDING, 1L));
    }

    // ---- extension mode: PGMQ's own functions ----

    @Test
    void inExtensionModeAMessageSentWithPgmqSendRunsOnADroverWorkerAndCompletedTasksAreInTheArchive() throws Exception {
        String url = PgTestDatabase.extensionUrlOrSkip();
        QueueName name = Names.queue();
        Drover drover = open(url);
        TaskQueue<Counter> queue = drover.queue(name.value(), Counter.class);
        queue.counts(); // pgmq.create makes the queue

        long msgId = (Long) Sql.value(url, "SELECT pgmq.send(?, '{\"n\": 1}'::jsonb)", name.value());
        TaskId foreign = TaskId.of("pgmq-" + msgId);
        TaskId pushed = queue.push(new Counter(2));
        assertThat(queue.get(foreign).orElseThrow().state()).isEqualTo(TaskState.PENDING);

        List<Task<Counter>> handled = new CopyOnWriteArrayList<>();
        start(drover.worker(queue, handled::add));
        awaitState(queue, foreign, TaskState.DONE);
        awaitState(queue, pushed, TaskState.DONE);

        assertThat(handled).extracting(Task::payload).containsExactlyInAnyOrder(new Counter(1), new Counter(2));
        assertThat(handled).filteredOn(t -> t.id().equals(foreign)).singleElement()
                .satisfies(t -> assertThat(t.payload()).isEqualTo(new Counter(1)));
        assertThat(Sql.rows(url, "SELECT msg_id FROM pgmq.a_" + name.value() + " WHERE msg_id = ? AND headers->>'drover-outcome' = 'done'",
                msgId)).as("pgmq.send's message in the archive").hasSize(1);
        assertThat(Sql.rows(url, "SELECT msg_id FROM pgmq.a_" + name.value() + " WHERE headers->>'drover-id' = ? "
                + "AND message->>'n' = '2' AND headers->>'drover-outcome' = 'done'", pushed.value()))
                .as("Drover's completed task in the archive").hasSize(1);
        assertThat(Sql.count(url, "SELECT count(*) FROM pgmq.q_" + name.value())).isZero();
    }

    @Test
    void inExtensionModePgmqReadReturnsADroverTaskWhichIsThenRunning() throws Exception {
        String url = PgTestDatabase.extensionUrlOrSkip();
        QueueName name = Names.queue();
        TaskQueue<Order> queue = open(url).queue(name.value(), Order.class);
        TaskId id = queue.push(new Order("lamp", 3));
        assertThat(queue.get(id).orElseThrow().state()).isEqualTo(TaskState.PENDING);

        List<Map<String, Object>> read = Sql.rows(url, "SELECT msg_id, read_ct, message->>'item' AS item, "
                + "headers->>'drover-id' AS drover_id FROM pgmq.read(?, 30, 10)", name.value());
        assertThat(read).singleElement().satisfies(row -> {
            assertThat(row.get("drover_id")).isEqualTo(id.value());
            assertThat(row.get("item")).isEqualTo("lamp");
            assertThat(row.get("read_ct")).isEqualTo(1);
        });

        TaskRecord running = queue.get(id).orElseThrow();
        assertThat(running.state()).isEqualTo(TaskState.RUNNING);
        assertThat(running.leaseExpiresAt()).as("the read's visibility timeout is the lease").isNotNull();
    }
}
