package dev.drover.pgmq;

import dev.drover.api.QueueName;
import dev.drover.api.StorageException;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.conformance.Names;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.spi.NewTask;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The tables plain-SQL mode makes are PGMQ's own (1.10 and later), made once however many backends race, and made again if dropped. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgmqSchemaTest {
    private static final String TIMESTAMPTZ = "timestamp with time zone";

    private static NewTask task(QueueName queue) {
        return new NewTask(TaskId.generate(), queue, "{\"n\": 1}".getBytes(StandardCharsets.UTF_8), "json", 0, Instant.now(), 3, Map.of());
    }

    /** Column name to data type, from information_schema, of {@code pgmq."<table>"}. */
    private static Map<String, String> columnTypes(String url, String table) throws Exception {
        Map<String, String> types = new LinkedHashMap<>();
        for (Map<String, Object> row : Sql.rows(url, "SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_schema = 'pgmq' AND table_name = ? ORDER BY ordinal_position", table)) {
            types.put((String) row.get("column_name"), (String) row.get("data_type"));
        }
        return types;
    }

    private static Map<String, Object> column(String url, String table, String column) throws Exception {
        List<Map<String, Object>> rows = Sql.rows(url, "SELECT is_nullable, is_identity, identity_generation, column_default "
                + "FROM information_schema.columns WHERE table_schema = 'pgmq' AND table_name = ? AND column_name = ?", table, column);
        assertThat(rows).as("column %s of pgmq.%s", column, table).hasSize(1);
        return rows.getFirst();
    }

    private static Map<String, String> queueLayout() {
        Map<String, String> layout = new LinkedHashMap<>();
        layout.put("msg_id", "bigint");
        layout.put("read_ct", "integer");
        layout.put("enqueued_at", TIMESTAMPTZ);
        layout.put("last_read_at", TIMESTAMPTZ);
        layout.put("vt", TIMESTAMPTZ);
        layout.put("message", "jsonb");
        layout.put("headers", "jsonb");
        return layout;
    }

    private static Map<String, String> archiveLayout() {
        Map<String, String> layout = queueLayout();
        layout.put("archived_at", TIMESTAMPTZ);
        return layout;
    }

    @Test
    void plainModeTablesHavePgmqsLayout() throws Exception {
        String url = PgTestDatabase.plainUrl();
        QueueName queue = Names.queue();
        try (Backend backend = Backends.open(url)) {
            assertThat(backend.counts(queue)).isEmpty(); // makes the queue
        }
        String q = "q_" + queue.value();
        String a = "a_" + queue.value();
        for (String table : List.of(q, "q_" + queue.value() + "_dlq")) {
            assertThat(columnTypes(url, table)).as("columns of pgmq.%s", table).containsExactlyInAnyOrderEntriesOf(queueLayout());
            Map<String, Object> msgId = column(url, table, "msg_id");
            assertThat(msgId.get("is_identity")).as("msg_id of %s is an identity", table).isEqualTo("YES");
            assertThat(msgId.get("identity_generation")).isEqualTo("ALWAYS");
            for (String notNull : List.of("msg_id", "read_ct", "enqueued_at", "vt")) {
                assertThat(column(url, table, notNull).get("is_nullable")).as("%s.%s nullable", table, notNull).isEqualTo("NO");
            }
            assertThat((String) column(url, table, "read_ct").get("column_default")).isEqualTo("0");
            assertThat((String) column(url, table, "enqueued_at").get("column_default")).isEqualTo("now()");
        }
        for (String table : List.of(a, "a_" + queue.value() + "_dlq")) {
            assertThat(columnTypes(url, table)).as("columns of pgmq.%s", table).containsExactlyInAnyOrderEntriesOf(archiveLayout());
            assertThat(column(url, table, "msg_id").get("is_identity")).as("the archive keeps the queue's msg_id").isEqualTo("NO");
            assertThat(column(url, table, "archived_at").get("is_nullable")).isEqualTo("NO");
            assertThat((String) column(url, table, "archived_at").get("column_default")).isEqualTo("now()");
        }

        assertThat(Sql.rows(url, "SELECT queue_name, is_partitioned, is_unlogged FROM pgmq.meta WHERE queue_name IN (?, ?) ORDER BY queue_name",
                queue.value(), queue.value() + "_dlq"))
                .as("rows of pgmq.meta")
                .containsExactly(
                        Map.of("queue_name", queue.value(), "is_partitioned", false, "is_unlogged", false),
                        Map.of("queue_name", queue.value() + "_dlq", "is_partitioned", false, "is_unlogged", false));

        List<Map<String, Object>> indexes = Sql.rows(url, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'pgmq' AND tablename = ?", q);
        assertThat(indexes).extracting(r -> r.get("indexname")).contains(q + "_vt_idx", q + "_pkey");
        assertThat(indexes).filteredOn(r -> r.get("indexname").equals(q + "_vt_idx")).singleElement()
                .satisfies(r -> assertThat((String) r.get("indexdef")).contains("(vt)"));
        assertThat(Sql.rows(url, "SELECT indexname FROM pg_indexes WHERE schemaname = 'pgmq' AND tablename = ?", a))
                .extracting(r -> r.get("indexname")).contains("archived_at_idx_" + queue.value(), a + "_pkey");
    }

    /** What a table is, with the queue's name taken out: each column and its type, nullability, identity and default; each index. */
    private static List<String> shape(String url, String table, String queueName) throws Exception {
        List<String> shape = new ArrayList<>();
        for (Map<String, Object> row : Sql.rows(url, "SELECT column_name, data_type, is_nullable, is_identity, "
                + "coalesce(identity_generation, '') AS generation, coalesce(column_default, '') AS dflt "
                + "FROM information_schema.columns WHERE table_schema = 'pgmq' AND table_name = ? ORDER BY ordinal_position", table)) {
            shape.add("column " + row.values());
        }
        for (Map<String, Object> row : Sql.rows(url, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'pgmq' "
                + "AND tablename = ? ORDER BY indexname", table)) {
            shape.add("index " + row.get("indexname") + ": " + row.get("indexdef"));
        }
        return shape.stream().map(line -> line.replace(queueName, "<queue>")).sorted().toList();
    }

    @Test
    void plainModeTablesAreTheOnesTheNewestPgmqExtensionMakes() throws Exception {
        String extensionUrl = PgTestDatabase.extensionUrlOrSkip();
        String version = (String) Sql.value(extensionUrl, "SELECT extversion FROM pg_extension WHERE extname = 'pgmq'");
        Assumptions.assumeTrue(version != null && PgTestDatabase.compareVersions(version, "1.10") >= 0,
                () -> "the newest pgmq on the test server is " + version + ", older than the 1.10 layout plain mode writes");
        String plainUrl = PgTestDatabase.plainUrl();
        QueueName plain = Names.queue();
        QueueName extension = Names.queue();
        try (Backend p = Backends.open(plainUrl); Backend e = Backends.open(extensionUrl)) {
            p.counts(plain);
            e.counts(extension);
        }
        for (String prefix : List.of("q_", "a_")) {
            for (String suffix : List.of("", "_dlq")) {
                assertThat(shape(plainUrl, prefix + plain.value() + suffix, plain.value()))
                        .as("pgmq.%s<queue>%s in plain mode, against pgmq %s's", prefix, suffix, version)
                        .containsExactlyElementsOf(shape(extensionUrl, prefix + extension.value() + suffix, extension.value()));
            }
        }
    }

    @Test
    void fourBackendsOpeningTheSameNewQueueAtOnceAllSucceed() throws Exception {
        String url = PgTestDatabase.plainUrl();
        QueueName queue = Names.queue();
        int n = 4;
        List<Backend> backends = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch open = new CountDownLatch(1);
            CountDownLatch use = new CountDownLatch(1);
            CountDownLatch opened = new CountDownLatch(n);
            List<Future<TaskId>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(threads.submit(() -> {
                    open.await();
                    Backend backend;
                    try {
                        backend = Backends.open(url);
                        backends.add(backend);
                    } finally {
                        opened.countDown();
                    }
                    use.await(); // every backend is open: now all make the queue at once
                    NewTask task = task(queue);
                    backend.push(List.of(task));
                    return task.id();
                }));
            }
            open.countDown();
            assertThat(opened.await(30, TimeUnit.SECONDS)).as("all backends opened").isTrue();
            use.countDown();
            List<TaskId> pushed = new ArrayList<>();
            for (Future<TaskId> f : results) pushed.add(f.get(30, TimeUnit.SECONDS)); // rethrows any failure
            assertThat(pushed).doesNotHaveDuplicates().hasSize(n);

            assertThat(backends.getFirst().counts(queue)).containsExactly(Map.entry(TaskState.PENDING, (long) n));
            assertThat(Sql.count(url, "SELECT count(*) FROM pgmq.meta WHERE queue_name IN (?, ?)", queue.value(), queue.value() + "_dlq"))
                    .isEqualTo(2);
        } finally {
            threads.shutdownNow();
            for (Backend b : backends) b.close();
        }
    }

    @Test
    void tablesDroppedBehindDroversBackFailOnePushTransientlyAndAreMadeAgainByTheNext() throws Exception {
        String url = PgTestDatabase.plainUrl();
        QueueName queue = Names.queue();
        String name = queue.value();
        try (Backend backend = Backends.open(url)) {
            NewTask before = task(queue);
            backend.push(List.of(before));

            Sql.execute(url, "DROP TABLE pgmq.\"q_" + name + "\", pgmq.\"a_" + name + "\", pgmq.\"q_" + name + "_dlq\", pgmq.\"a_" + name + "_dlq\"");

            NewTask lost = task(queue);
            StorageException failure = catchThrowableOfType(StorageException.class, () -> backend.push(List.of(lost)));
            assertThat(failure).as("the push after the drop").isNotNull();
            assertThat(failure.isTransient()).as("transient: trying again may succeed").isTrue();
            assertThat(failure.getMessage()).contains("42P01").contains("q_" + name);

            NewTask after = task(queue);
            backend.push(List.of(after));

            for (String table : List.of("q_" + name, "a_" + name, "q_" + name + "_dlq", "a_" + name + "_dlq")) {
                assertThat(Sql.tableExists(url, table)).as("pgmq.%s made again", table).isTrue();
            }
            assertThat(Sql.rows(url, "SELECT indexname FROM pg_indexes WHERE schemaname = 'pgmq' AND tablename = ?", "q_" + name))
                    .extracting(r -> r.get("indexname")).contains("q_" + name + "_drover_id", "q_" + name + "_vt_idx");
            assertThat(backend.get(queue, after.id())).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(TaskState.PENDING));
            assertThat(backend.get(queue, lost.id())).isEmpty();
            assertThat(backend.get(queue, before.id())).as("went with the dropped table").isEmpty();
            assertThat(backend.counts(queue)).containsExactly(Map.entry(TaskState.PENDING, 1L));
        }
    }
}
