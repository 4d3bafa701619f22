package dev.drover.pgmq;

import dev.drover.api.Drover;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.api.codec.JsonCodec;
import dev.drover.api.worker.Worker;
import dev.drover.conformance.Await;
import dev.drover.conformance.Names;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headers are input: other PGMQ clients write them, and a {@code drover-*} header of the wrong type or range, or
 * headers that are not a JSON object, must never stop a queue. Such a header reads as absent; only a payload Drover
 * cannot read (a broken {@code drover-encoding}) makes its message DEAD, with an error naming the message and the
 * header. Each case sends malformed messages next to a good task and checks that counting, listing, claiming,
 * releasing and completing the queue all work. Run in plain mode (rows inserted with SQL) and, where the pgmq
 * extension is installed, in extension mode (sent with {@code pgmq.send}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PgmqForeignHeadersTest {
    private static final Duration LEASE = Duration.ofMinutes(5);

    /** Every header Drover reads, in SQL ({@link QueueSql}) or in Java ({@link Envelope}), but drover-encoding (below). */
    private static final List<String> HEADERS = List.of(Envelope.ID, Envelope.CODEC, Envelope.PRIORITY, Envelope.MAX_ATTEMPTS,
            Envelope.RUN_AT, Envelope.METADATA, Envelope.SETTLED, Envelope.RELEASED, Envelope.OWNER, Envelope.STARTED_AT,
            Envelope.ERROR, Envelope.RESULT, Envelope.OUTCOME, Envelope.FINISHED_AT, Envelope.ATTEMPT, Envelope.ENQUEUED_AT, Envelope.ATTEMPTS,
            "drover-queue");

    /** Values of the wrong type or out of range for one header or another (distinct as text: drover-id is unique per queue). */
    private static final List<String> BAD_VALUES = List.of("\"x\"", "\"5\"", "\"\"", "\"  \"", "{\"a\": 1}", "[1, 2]", "null", "true",
            "1.5", "-1", "0", "2147483648", "-99999999999", "99999999999999999999", "1e30", "1" + "0".repeat(1500),
            "\"2024-01-01T00:00:00Z\"", "\"not base64 %%%\"");

    static Stream<String> modes() {
        return PgTestDatabase.extensionUrl(PgTestDatabase.PgmqVersion.NEWEST).isPresent()
                ? Stream.of("plain", "extension") : Stream.of("plain");
    }

    static Stream<Arguments> headersAndModes() {
        return modes().flatMap(mode -> HEADERS.stream().map(h -> Arguments.of(h, mode)));
    }

    private static String url(String mode) {
        return mode.equals("plain") ? PgTestDatabase.plainUrl() : PgTestDatabase.extensionUrlOrSkip();
    }

    /** A message as another client sends it: {@code pgmq.send} in extension mode, an INSERT in plain mode. Returns its msg_id. */
    private static long send(String url, String mode, QueueName queue, String message, String headers) throws Exception {
        if (mode.equals("extension")) {
            return (Long) Sql.value(url, "SELECT pgmq.send(?::text, ?::jsonb, ?::jsonb)", queue.value(), message, headers);
        }
        return (Long) Sql.value(url, "INSERT INTO " + Sql.q(queue) + " (vt, message, headers) VALUES (clock_timestamp(), ?::jsonb, ?::jsonb) "
                + "RETURNING msg_id", message, headers);
    }

    private static NewTask good(QueueName queue) {
        return NewTask.builder(queue, "{\"good\": true}".getBytes(StandardCharsets.UTF_8), JsonCodec.NAME).runAt(Instant.now()).maxAttempts(3).build();
    }

    @ParameterizedTest(name = "{0} ({1} mode)")
    @MethodSource("headersAndModes")
    void aHeaderOfTheWrongTypeOrRangeReadsAsAbsentAndTheQueueRunsOn(String header, String mode) throws Exception {
        String url = url(mode);
        QueueName queue = Names.queue();
        try (Backend backend = Backends.open(url)) {
            backend.counts(queue); // makes the queue
            Map<Long, String> foreign = new LinkedHashMap<>();
            for (int i = 0; i < BAD_VALUES.size(); i++) {
                String headers = "{\"" + header + "\": " + BAD_VALUES.get(i) + "}";
                foreign.put(send(url, mode, queue, "{\"n\": " + i + "}", headers), headers);
            }
            NewTask good = good(queue);
            backend.push(List.of(good));

            Map<Long, String> dead = runEverything(backend, queue, foreign, good);
            assertThat(dead).as("messages that went DEAD though only a header Drover can do without was malformed").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} mode")
    @MethodSource("modes")
    void aBrokenEncodingMakesOnlyItsMessageDeadNamingTheMessageAndTheHeader(String mode) throws Exception {
        String url = url(mode);
        QueueName queue = Names.queue();
        try (Backend backend = Backends.open(url)) {
            backend.counts(queue);
            Map<Long, String> unreadable = new LinkedHashMap<>();
            for (String[] bad : new String[][]{
                    {"{\"n\": 1}", "\"base64\""},        // base64, but the message is a JSON object
                    {"\"%%% not base64\"", "\"base64\""},
                    {"{\"n\": 2}", "\"gzip\""},          // an encoding Drover does not know
                    {"{\"n\": 3}", "5"},
                    {"{\"n\": 4}", "{\"a\": 1}"},
                    {"{\"n\": 5}", "[\"base64\"]"}}) {
                String headers = "{\"" + Envelope.ENCODING + "\": " + bad[1] + "}";
                unreadable.put(send(url, mode, queue, bad[0], headers), headers);
            }
            Map<Long, String> readable = new LinkedHashMap<>();
            readable.put(send(url, mode, queue, "{\"n\": 6}", "{\"" + Envelope.ENCODING + "\": null}"), "null encoding");
            readable.put(send(url, mode, queue, "\"eyJuIjogN30=\"", "{\"" + Envelope.ENCODING + "\": \"base64\"}"), "good base64");
            NewTask good = good(queue);
            backend.push(List.of(good));
            Map<Long, String> all = new LinkedHashMap<>(unreadable);
            all.putAll(readable);

            Map<Long, String> dead = runEverything(backend, queue, all, good);

            assertThat(dead.keySet()).as("the messages that went DEAD").containsExactlyInAnyOrderElementsOf(unreadable.keySet());
            for (Map.Entry<Long, String> d : dead.entrySet()) {
                assertThat(d.getValue()).as("the error of message %s (%s)", d.getKey(), unreadable.get(d.getKey()))
                        .contains("message " + d.getKey() + " ").contains(Envelope.ENCODING).contains("dead-letter queue");
            }
            TaskRecord decoded = backend.get(queue, TaskId.of("pgmq-" + readable.keySet().toArray()[1])).orElseThrow();
            assertThat(new String(decoded.payload(), StandardCharsets.UTF_8)).as("the payload of the good base64 message").isEqualTo("{\"n\": 7}");
        }
    }

    @ParameterizedTest(name = "{0} mode")
    @MethodSource("modes")
    void headersThatAreNotAnObjectAreNoneOfDroversAndTheQueueRunsOn(String mode) throws Exception {
        String url = url(mode);
        QueueName queue = Names.queue();
        try (Backend backend = Backends.open(url)) {
            backend.counts(queue);
            Map<Long, String> foreign = new LinkedHashMap<>();
            for (String headers : new String[]{"[1, 2]", "[{\"drover-settled\": \"x\"}]", "\"drover-settled\"", "42", "true", "null", "{}"}) {
                foreign.put(send(url, mode, queue, "{\"n\": 1}", headers), headers);
            }
            foreign.put(send(url, mode, queue, "{\"n\": 2}", null), "SQL NULL");
            NewTask good = good(queue);
            backend.push(List.of(good));

            assertThat(runEverything(backend, queue, foreign, good)).as("messages that went DEAD").isEmpty();
        }
    }

    /**
     * Rows of the archive and the dead-letter queue are read by counts, get and list too: every header malformed at once
     * there must not stop those either.
     */
    /**
     * A message whose {@code drover-attempts} another client wrote as something other than Drover's array of entries
     * can be retried: the failure is recorded (a non-array is replaced, an array is appended to) and the history read
     * back holds only well-formed entries, here the one the retry wrote.
     */
    @ParameterizedTest(name = "{0} mode")
    @MethodSource("modes")
    void aMalformedAttemptHistoryIsRetriedAndReadsAsItsWellFormedEntries(String mode) throws Exception {
        String url = url(mode);
        QueueName queue = Names.queue();
        try (Backend backend = Backends.open(url)) {
            backend.counts(queue);
            List<String> values = new ArrayList<>(BAD_VALUES);
            values.add("[{\"attempt\": \"one\", \"at\": 1, \"error\": \"x\"}, {\"at\": 5}, 7]");
            for (int i = 0; i < values.size(); i++) {
                send(url, mode, queue, "{\"n\": " + i + "}", "{\"" + Envelope.ATTEMPTS + "\": " + values.get(i) + "}");
            }
            List<ClaimedTask> claimed = backend.claim(queue, new WorkerId("history-reader"), values.size(), LEASE);
            assertThat(claimed).hasSize(values.size());
            Set<?> retried = backend.settle(claimed.stream().<Settlement>map(c -> new Settlement.Retry(c.lease(), Duration.ofHours(1), "failed once")).toList());
            assertThat(retried).hasSize(values.size());
            for (ClaimedTask c : claimed) {
                TaskRecord t = backend.get(queue, c.task().id()).orElseThrow();
                assertThat(t.attempts()).as("history of %s", t.metadata()).singleElement().satisfies(e -> {
                    assertThat(e.attempt()).isEqualTo(1);
                    assertThat(e.error()).isEqualTo("failed once");
                    assertThat(e.worker()).isEqualTo("history-reader");
                });
            }
        }
    }

    @ParameterizedTest(name = "{0} mode")
    @MethodSource("modes")
    void malformedHeadersInTheArchiveAndTheDeadLetterQueueDoNotStopInspection(String mode) throws Exception {
        String url = url(mode);
        QueueName queue = Names.queue();
        try (Backend backend = Backends.open(url)) {
            backend.counts(queue);
            int rows = 0;
            for (String value : BAD_VALUES) {
                for (String table : new String[]{Sql.a(queue), Sql.dlq(queue)}) {
                    // an id of its own (a malformed drover-id is the live queue's case): ids of archived rows without one
                    // would be pgmq-<msg_id> of another table's msg_id
                    String headers = "{\"" + Envelope.ID + "\": \"row-" + rows + "\", "
                            + Stream.concat(HEADERS.stream().filter(h -> !h.equals(Envelope.ID)), Stream.of(Envelope.ENCODING))
                            .map(h -> "\"" + h + "\": " + value).collect(Collectors.joining(", ")) + "}";
                    String columns = table.equals(Sql.a(queue)) ? "msg_id, vt, message, headers" : "vt, message, headers";
                    String values = table.equals(Sql.a(queue)) ? "?, clock_timestamp(), '{\"n\": 1}'::jsonb, ?::jsonb"
                            : "clock_timestamp(), '{\"n\": 1}'::jsonb, ?::jsonb";
                    Object[] params = table.equals(Sql.a(queue)) ? new Object[]{1_000_000L + rows, headers} : new Object[]{headers};
                    Sql.execute(url, "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ")", params);
                    rows++;
                }
            }
            Map<TaskState, Long> counts = backend.counts(queue);
            assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).as("tasks counted: %s", counts).isEqualTo(rows);
            List<TaskRecord> listed = backend.list(TaskQuery.of(queue).limit(1000));
            assertThat(listed).hasSize(rows);
            for (TaskRecord t : listed) assertThat(backend.get(queue, t.id())).as("get(%s)", t.id()).isPresent();
        }
    }

    /** The case: {@code pgmq.send('q', '{"to":"x"}', '{"drover-settled":"x"}')} next to a good task, on a running worker. */
    @ParameterizedTest(name = "{0} mode")
    @MethodSource("modes")
    void aWorkerRunsAGoodTaskAndTheForeignMessageAlongsideAMalformedDroverSettledHeader(String mode) throws Exception {
        String url = url(mode);
        QueueName name = Names.queue();
        try (Drover drover = Drover.open(url)) {
            TaskQueue<Map<String, Object>> queue = drover.queue(name.value(), mapType());
            queue.counts();
            long msgId = send(url, mode, name, "{\"to\": \"x\"}", "{\"drover-settled\": \"x\"}");
            TaskId good = queue.push(Map.of("good", true));
            Set<Object> handled = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Worker<Map<String, Object>> worker = drover.worker(queue, task -> handled.add(task.id())).pollInterval(Duration.ofMillis(20), Duration.ofMillis(200)).build().start();
            try {
                Await.until(Duration.ofSeconds(20), () -> handled.size() == 2, "both tasks ran (ran: " + handled + ")");
                Await.until(Duration.ofSeconds(20), () -> queue.counts().getOrDefault(TaskState.DONE, 0L) == 2,
                        "both tasks are DONE");
            } finally {
                worker.shutdown(Duration.ofSeconds(5));
            }
            assertThat(handled).containsExactlyInAnyOrder(good, TaskId.of("pgmq-" + msgId));
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<Map<String, Object>> mapType() {
        return (Class<Map<String, Object>>) (Class<?>) Map.class;
    }

    /**
     * Counts, lists and reads every task, claims them all, releases them, claims them again and completes them, checking
     * at each step that nothing failed and no task went missing. Returns the messages that went DEAD, with their error.
     */
    private static Map<Long, String> runEverything(Backend backend, QueueName queue, Map<Long, String> foreign, NewTask good) {
        int total = foreign.size() + 1;
        Map<TaskState, Long> before = backend.counts(queue);
        assertThat(before).as("counts before any claim").isEqualTo(Map.of(TaskState.PENDING, (long) total));
        List<TaskRecord> pending = backend.list(TaskQuery.of(queue).limit(1000));
        assertThat(pending).as("tasks listed").hasSize(total);
        for (TaskRecord t : pending) assertThat(backend.get(queue, t.id())).as("get(%s)", t.id()).isPresent();

        WorkerId worker = Names.worker("foreign");
        List<ClaimedTask> first = backend.claim(queue, worker, 1000, LEASE);
        assertThat(first).as("claimed: the good task").anySatisfy(c -> assertThat(c.task().id()).isEqualTo(good.id()));
        assertThat(backend.counts(queue).getOrDefault(TaskState.RUNNING, 0L)).as("running after the claim").isEqualTo(first.size());

        Set<?> released = backend.settle(first.stream().<Settlement>map(c -> new Settlement.Release(c.lease())).toList());
        assertThat(released).as("releases applied").hasSize(first.size());
        List<ClaimedTask> second = backend.claim(queue, worker, 1000, LEASE);
        assertThat(second.stream().map(c -> c.task().id()).toList()).as("claimed again after the release")
                .containsExactlyInAnyOrderElementsOf(first.stream().map(c -> c.task().id()).toList());
        Set<?> completed = backend.settle(second.stream().<Settlement>map(c -> new Settlement.Complete(c.lease(), null)).toList());
        assertThat(completed).as("completions applied").hasSize(second.size());

        Map<TaskState, Long> after = backend.counts(queue);
        assertThat(after.getOrDefault(TaskState.DONE, 0L) + after.getOrDefault(TaskState.DEAD, 0L))
                .as("DONE and DEAD tasks at the end: %s", after).isEqualTo(total);
        assertThat(after.getOrDefault(TaskState.DONE, 0L)).isEqualTo(second.size());

        Map<Long, String> dead = new LinkedHashMap<>();
        List<TaskRecord> listed = backend.list(TaskQuery.of(queue).limit(1000));
        assertThat(listed).as("tasks listed at the end").hasSize(total);
        for (TaskRecord t : listed) {
            assertThat(backend.get(queue, t.id())).as("get(%s)", t.id()).isPresent();
            if (t.state() == TaskState.DEAD) {
                Long msgId = foreign.keySet().stream().filter(id -> t.lastError() != null && t.lastError().contains("message " + id + " "))
                        .findFirst().orElse(-1L);
                dead.put(msgId, t.lastError());
            }
        }
        List<ClaimedTask> rest = new ArrayList<>(backend.claim(queue, worker, 1000, LEASE));
        assertThat(rest).as("nothing left to claim").isEmpty();
        return dead;
    }
}
