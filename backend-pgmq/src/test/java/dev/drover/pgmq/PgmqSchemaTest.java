package dev.drover.pgmq;

import dev.drover.api.ConfigurationException;
import dev.drover.api.Drover;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.StorageException;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.api.codec.BytesCodec;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;
import dev.drover.conformance.Await;
import dev.drover.conformance.Names;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

/**
 * The tables plain-SQL mode makes are PGMQ's own (1.10 and later), made once however many backends race, and made again
 * if dropped; a pgmq too old for Drover is refused with what to do for that kind of install.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgmqSchemaTest {
    private static final String TIMESTAMPTZ = "timestamp with time zone";

    private static NewTask task(QueueName queue) {
        return NewTask.builder(queue, "{\"n\": 1}".getBytes(StandardCharsets.UTF_8), "json").runAt(Instant.now()).maxAttempts(3).build();
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
                .as("PGMQ's vt index, with msg_id after vt: the order of PGMQ's reads and of Drover's claims in one index")
                .satisfies(r -> assertThat((String) r.get("indexdef")).endsWith("USING btree (vt, msg_id)"));
        assertThat(indexes).extracting(r -> r.get("indexname")).as("no second index on (vt, msg_id)").doesNotContain(q + "_drover_vt");
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

    /**
     * A queue dropped under a running worker (pgmq.drop_queue in extension mode, DROP TABLE in plain mode) is reported as
     * dropped, not as a database that is unreachable or busy, and is made again: the worker runs the next task.
     */
    @ParameterizedTest(name = "{0} mode")
    @MethodSource("dev.drover.pgmq.PgmqForeignHeadersTest#modes")
    void aQueueDroppedUnderAWorkerIsReportedAsDroppedAndMadeAgain(String mode) throws Exception {
        String url = mode.equals("plain") ? PgTestDatabase.plainUrl() : PgTestDatabase.extensionUrlOrSkip();
        QueueName name = Names.queue();
        List<WorkerEvent.StorageFailed> failures = new CopyOnWriteArrayList<>();
        List<TaskId> ran = new CopyOnWriteArrayList<>();
        try (CapturedLog log = new CapturedLog(); Drover drover = Drover.open(url)) {
            TaskQueue<byte[]> queue = drover.queue(name.value(), BytesCodec.INSTANCE);
            Worker<byte[]> worker = drover.worker(queue, task -> ran.add(task.id()))
                    .pollInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                    .listener(event -> {
                        if (event instanceof WorkerEvent.StorageFailed f) failures.add(f);
                    })
                    .build().start();
            try {
                TaskId first = queue.push(new byte[]{1});
                Await.until(Duration.ofSeconds(20), () -> ran.contains(first), "the first task ran");

                if (mode.equals("plain")) {
                    Sql.execute(url, "DROP TABLE " + Sql.q(name) + ", " + Sql.a(name));
                } else {
                    Sql.execute(url, "SELECT pgmq.drop_queue(?)", name.value());
                }
                Await.until(Duration.ofSeconds(20), () -> !failures.isEmpty(),
                        "the worker's next storage call failed on the dropped table");
                TaskId second = queue.push(new byte[]{2});
                Await.until(Duration.ofSeconds(20), () -> ran.contains(second),
                        "a task pushed after the drop ran");
            } finally {
                worker.shutdown(Duration.ofSeconds(5));
            }
            assertThat(failures).allSatisfy(f -> assertThat(f.error().getMessage())
                    .as("the error of the %s after the drop", f.operation())
                    .contains("q_" + name.value()).contains("was dropped").contains("makes the queue again")
                    .doesNotContain("unreachable or busy"));
            assertThat(log.text()).as("the log").contains("made queue " + name.value() + " again: its table")
                    .doesNotContain("unreachable or busy");
        }
    }

    /** A pgmq older than 1.5 installed from SQL (no extension), made by hand: what PgmqSchema reads from the catalog. */
    private static void installOldSqlOnlyPgmq(String url) throws Exception {
        Sql.execute(url, "CREATE SCHEMA pgmq");
        Sql.execute(url, """
                CREATE TABLE pgmq.meta (queue_name VARCHAR UNIQUE NOT NULL, is_partitioned BOOLEAN NOT NULL,
                    is_unlogged BOOLEAN NOT NULL, created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL)""");
        // pgmq 1.4's message_record: no headers
        Sql.execute(url, "CREATE TYPE pgmq.message_record AS (msg_id BIGINT, read_ct INTEGER, enqueued_at TIMESTAMPTZ, vt TIMESTAMPTZ, message JSONB)");
        Sql.execute(url, "CREATE FUNCTION pgmq.\"create\"(queue_name TEXT) RETURNS void LANGUAGE sql AS 'SELECT NULL'");
        Sql.execute(url, "CREATE FUNCTION pgmq.read(queue_name TEXT, vt INTEGER, qty INTEGER) RETURNS SETOF pgmq.message_record "
                + "LANGUAGE sql AS 'SELECT NULL::pgmq.message_record WHERE false'");
        Sql.execute(url, "CREATE FUNCTION pgmq.send_batch(queue_name TEXT, msgs JSONB[]) RETURNS SETOF BIGINT LANGUAGE sql AS 'SELECT 1::bigint WHERE false'");
        Sql.execute(url, "CREATE FUNCTION pgmq.archive(queue_name TEXT, msg_id BIGINT) RETURNS BOOLEAN LANGUAGE sql AS 'SELECT false'");
    }

    @Test
    void anOldSqlOnlyPgmqIsRefusedWithWhatToDoForASqlOnlyInstall() throws Exception {
        PgTestDatabase.requireServer();
        try (ScratchDatabase db = ScratchDatabase.create()) {
            installOldSqlOnlyPgmq(db.url());

            ConfigurationException refused = catchThrowableOfType(ConfigurationException.class,
                    () -> Backends.open(db.url()).close());
            assertThat(refused).as("opening a database with a SQL-only pgmq 1.4").isNotNull();
            assertThat(refused.getMessage()).contains("older than 1.5").contains("SQL-only install")
                    .contains("ALTER EXTENSION cannot update it").contains("DROP SCHEMA pgmq CASCADE").contains("mode=plain")
                    .doesNotContain("Run ALTER EXTENSION pgmq UPDATE");

            // the advice holds: plain mode works on that database
            QueueName queue = Names.queue();
            try (Backend backend = Backends.open(db.url() + "?mode=plain")) {
                NewTask task = task(queue);
                backend.push(List.of(task));
                assertThat(backend.claim(queue, new WorkerId("old-pgmq"), 1, Duration.ofMinutes(1)))
                        .singleElement().satisfies(c -> assertThat(c.task().id()).isEqualTo(task.id()));
            }
        }
    }

    @Test
    void anOldPgmqExtensionIsRefusedWithAlterExtensionUpdate() throws Exception {
        PgTestDatabase.requireServer();
        boolean available = Sql.count(PgTestDatabase.URL, "SELECT count(*) FROM pg_available_extension_versions "
                + "WHERE name = 'pgmq' AND version LIKE '1.4.%'") > 0;
        Assumptions.assumeTrue(available, "no pgmq 1.4 extension on the test server: the advice for an old extension is not tested");
        try (ScratchDatabase db = ScratchDatabase.create()) {
            String version = (String) Sql.value(PgTestDatabase.URL, "SELECT max(version) FROM pg_available_extension_versions "
                    + "WHERE name = 'pgmq' AND version LIKE '1.4.%'");
            Sql.execute(db.url(), "CREATE EXTENSION pgmq VERSION '" + version + "'");

            ConfigurationException refused = catchThrowableOfType(ConfigurationException.class,
                    () -> Backends.open(db.url()).close());
            assertThat(refused).as("opening a database with the pgmq %s extension", version).isNotNull();
            assertThat(refused.getMessage()).contains("extension " + version).contains("older than 1.5")
                    .contains("ALTER EXTENSION pgmq UPDATE").contains("mode=plain").doesNotContain("SQL-only");
        }
    }
}
