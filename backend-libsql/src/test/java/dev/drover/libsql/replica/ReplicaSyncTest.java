package dev.drover.libsql.replica;

import dev.drover.api.StorageException;
import dev.drover.conformance.Await;
import dev.drover.sqlite.sql.SqlRow;
import dev.drover.sqlite.sql.SqlStatement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replica against a real Turso primary ({@code tursodb --sync-server}), one fresh server per test. */
class ReplicaSyncTest {
    static final byte[] ALL_BYTES = new byte[256];

    static {
        for (int i = 0; i < 256; i++) ALL_BYTES[i] = (byte) i;
    }

    static final String UNICODE = "héllo wörld ✓ 日本語 𝄞 🚀 \u0000 end";

    @TempDir
    Path dir;

    @Test
    @DisplayName("rows written on the primary appear in the replica after one sync, with the same values")
    void bootstrapThenIncremental() {
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, s TEXT, b BLOB, r REAL)");
            primary.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", 1L, Long.MIN_VALUE, UNICODE, ALL_BYTES, 1.5);
            Path live = dir.resolve("replica.db");
            List<ReplicaSync.Stage> stages = new CopyOnWriteArrayList<>();
            try (ReplicaSync sync = new ReplicaSync(live, primary.url(), null, stages::add)) {
                ReplicaSync.Result first = sync.sync();
                assertThat(first.mode()).isEqualTo(ReplicaSync.Mode.BOOTSTRAP);
                assertThat(first.revisionBefore()).isNull();
                assertThat(first.dbSizePages()).isEqualTo(first.pagesApplied()).isPositive();
                assertThat(stages).containsExactly(ReplicaSync.Stage.PULLED, ReplicaSync.Stage.PATCHED,
                        ReplicaSync.Stage.PUBLISHED, ReplicaSync.Stage.META_WRITTEN);

                try (ReplicaReader reader = ReplicaReader.open(live)) {
                    assertSameRows(primary, reader, "SELECT * FROM t ORDER BY id");
                    SqlRow row = reader.read(SqlStatement.of("SELECT * FROM t WHERE id = ?", 1L)).rows().getFirst();
                    assertThat(row.get("i")).isEqualTo(Long.MIN_VALUE);
                    assertThat(row.get("s")).isEqualTo(UNICODE);
                    assertThat(row.getBytes("b")).isEqualTo(ALL_BYTES);
                    assertThat(row.get("r")).isEqualTo(1.5);

                    byte[] big = new byte[100_000]; // overflow pages
                    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + 7);
                    primary.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", 2L, Long.MAX_VALUE, "", big, -0.25);
                    primary.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", 3L, 0L, null, new byte[0], null);
                    primary.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", 4L, -1L, "x".repeat(10_000), null, 1e308);
                    stages.clear();
                    ReplicaSync.Result second = sync.sync();
                    assertThat(second.mode()).isEqualTo(ReplicaSync.Mode.INCREMENTAL);
                    assertThat(second.revisionBefore()).isEqualTo(first.revisionAfter());
                    assertThat(Long.parseLong(second.revisionAfter())).isGreaterThan(Long.parseLong(first.revisionAfter()));
                    assertThat(second.pagesApplied()).isPositive().isLessThanOrEqualTo((int) second.dbSizePages());
                    assertThat(stages).containsExactly(ReplicaSync.Stage.PULLED, ReplicaSync.Stage.PATCHED,
                            ReplicaSync.Stage.PUBLISHED, ReplicaSync.Stage.META_WRITTEN);

                    // the same pooled connections see the newly published content
                    assertSameRows(primary, reader, "SELECT * FROM t ORDER BY id");
                    SqlRow two = reader.read(SqlStatement.of("SELECT i, b FROM t WHERE id = 2")).rows().getFirst();
                    assertThat(two.get("i")).isEqualTo(Long.MAX_VALUE);
                    assertThat(two.getBytes("b")).isEqualTo(big);
                    assertThat(reader.read(SqlStatement.of("SELECT b FROM t WHERE id = 3")).rows().getFirst().getBytes("b")).isEmpty();
                    assertIntegrityOk(reader);
                    try (ReplicaReader fresh = ReplicaReader.open(live)) { // its mode comes from the published header
                        assertThat(fresh.read(SqlStatement.of("PRAGMA journal_mode")).rows().getFirst().getString("journal_mode"))
                                .isEqualTo("wal");
                    }

                    stages.clear();
                    ReplicaSync.Result third = sync.sync();
                    assertThat(third.mode()).isEqualTo(ReplicaSync.Mode.UNCHANGED);
                    assertThat(third.revisionAfter()).isEqualTo(second.revisionAfter());
                    assertThat(third.pagesApplied()).isZero();
                    assertThat(stages).containsExactly(ReplicaSync.Stage.PULLED);
                }
            }
            Path shadow = dir.resolve("replica.db.shadow");
            assertThat(shadow).exists();
            assertThat(dir.resolve("replica.db.shadow-wal")).as("the shadow is opened as a rollback-journal database").doesNotExist();
            assertThat(dir.resolve("replica.db.shadow-shm")).doesNotExist();
        }
    }

    @Test
    @DisplayName("CREATE INDEX, ALTER TABLE ADD COLUMN and DROP TABLE reach the replica, and every publish passes integrity_check")
    void schemaChangesPropagate() {
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, queue TEXT NOT NULL, payload BLOB)");
            primary.execute("CREATE TABLE scratch (k TEXT PRIMARY KEY, v TEXT)");
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 300; i++) rows.add(new Object[]{"INSERT INTO jobs (queue, payload) VALUES (?, ?)", "q" + (i % 3), new byte[500]});
            for (int i = 0; i < 200; i++) rows.add(new Object[]{"INSERT INTO scratch VALUES (?, ?)", "k" + i, "v".repeat(300)});
            primary.transaction(rows);
            Path live = dir.resolve("replica.db");
            try (ReplicaSync sync = new ReplicaSync(live, primary.url())) {
                sync.sync();
                try (ReplicaReader reader = ReplicaReader.open(live)) {
                    assertIntegrityOk(reader);
                    // a statement the pool has run before the schema changes
                    SqlStatement byQueue = SqlStatement.of("SELECT count(*) AS n FROM jobs WHERE queue = ?", "q1");
                    assertThat(reader.read(byQueue).rows().getFirst().get("n")).isEqualTo(100L);

                    primary.execute("CREATE INDEX jobs_queue ON jobs (queue)");
                    sync.sync();
                    assertIntegrityOk(reader);
                    assertThat(names(reader, "index")).contains("jobs_queue");
                    assertThat(reader.read(SqlStatement.of("EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE queue = 'q1'")).rows())
                            .anySatisfy(r -> assertThat(r.getString("detail")).contains("jobs_queue"));
                    assertThat(reader.read(byQueue).rows().getFirst().get("n")).isEqualTo(100L);

                    primary.execute("ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 5");
                    primary.execute("INSERT INTO jobs (queue, payload, priority) VALUES ('q9', NULL, 42)");
                    sync.sync();
                    assertIntegrityOk(reader);
                    assertSameRows(primary, reader, "SELECT id, queue, priority FROM jobs ORDER BY id");
                    assertThat(reader.read(SqlStatement.of("SELECT priority FROM jobs WHERE queue = 'q9'")).rows().getFirst().get("priority"))
                            .isEqualTo(42L);

                    primary.execute("DROP TABLE scratch");
                    sync.sync();
                    assertIntegrityOk(reader);
                    assertThat(names(reader, "table")).contains("jobs").doesNotContain("scratch");
                    assertThatThrownBy(() -> reader.read(SqlStatement.of("SELECT * FROM scratch")))
                            .isInstanceOf(StorageException.class).hasMessageContaining("no such table");
                    long freelist = reader.read(SqlStatement.of("PRAGMA freelist_count")).rows().getFirst().getLong("freelist_count");
                    assertThat(freelist).as("the dropped table's pages are free").isPositive();

                    primary.execute("DELETE FROM jobs WHERE id % 2 = 0");
                    sync.sync();
                    assertIntegrityOk(reader);
                    assertSameRows(primary, reader, "SELECT * FROM jobs ORDER BY id");
                }
            }
        }
    }

    @Test
    @DisplayName("a reader inside an open transaction keeps its snapshot during a publish and sees the new data after it")
    void openTransactionKeepsItsSnapshot() throws Exception {
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            primary.execute("INSERT INTO t (v) VALUES ('a'), ('b')");
            Path live = dir.resolve("replica.db");
            try (ReplicaSync sync = new ReplicaSync(live, primary.url());
                 Connection snapshotReader = openReader(live)) {
                sync.sync();
                snapshotReader.setAutoCommit(false);
                assertThat(count(snapshotReader)).isEqualTo(2);

                primary.execute("INSERT INTO t (v) VALUES ('c'), ('d'), ('e')");
                ReplicaSync.Result published = sync.sync();
                assertThat(published.mode()).isEqualTo(ReplicaSync.Mode.INCREMENTAL);

                assertThat(count(snapshotReader)).as("inside its transaction").isEqualTo(2);
                try (ReplicaReader other = ReplicaReader.open(live)) {
                    assertThat(other.read(SqlStatement.of("SELECT count(*) AS n FROM t")).rows().getFirst().get("n")).isEqualTo(5L);
                }
                snapshotReader.commit();
                assertThat(count(snapshotReader)).as("in its next transaction").isEqualTo(5);
                snapshotReader.commit();
            }
        }
    }

    @Test
    @DisplayName("readers running while the replica is published never see a partly published state")
    void concurrentReadersSeeWholePublishes() throws Exception {
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE t (batch INTEGER NOT NULL, v BLOB)");
            Path live = dir.resolve("replica.db");
            // a publish is under way from the moment its image is ready (PATCHED) until it is in the live file (PUBLISHED)
            AtomicInteger publishesBegun = new AtomicInteger();
            AtomicInteger publishesEnded = new AtomicInteger();
            try (ReplicaSync sync = new ReplicaSync(live, primary.url(), null, stage -> {
                    if (stage == ReplicaSync.Stage.PATCHED) publishesBegun.incrementAndGet();
                    if (stage == ReplicaSync.Stage.PUBLISHED) publishesEnded.incrementAndGet();
                 });
                 ReplicaReader reader = ReplicaReader.open(createdBy(sync), 2, 10_000)) {
                AtomicBoolean done = new AtomicBoolean();
                List<Throwable> failures = new CopyOnWriteArrayList<>();
                AtomicInteger reads = new AtomicInteger();
                AtomicInteger readsDuringPublish = new AtomicInteger();
                Set<Long> countsSeen = ConcurrentHashMap.newKeySet();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    boolean checker = t == 0;
                    threads.add(Thread.ofPlatform().name("replica-reader-" + t).start(() -> {
                        long last = 0;
                        try {
                            do {
                                // a publish is under way when this read begins
                                boolean duringPublish = publishesEnded.get() < publishesBegun.get();
                                SqlRow row = reader.read(SqlStatement.of("SELECT count(*) AS n, count(DISTINCT batch) AS b FROM t")).rows().getFirst();
                                if (duringPublish) readsDuringPublish.incrementAndGet();
                                long n = row.getLong("n");
                                assertThat(n).as("whole batches of 10").isEqualTo(row.getLong("b") * 10);
                                assertThat(n).as("never goes back").isGreaterThanOrEqualTo(last);
                                last = n;
                                countsSeen.add(n);
                                if (checker) {
                                    assertThat(reader.read(SqlStatement.of("PRAGMA quick_check")).rows().getFirst().getString("quick_check"))
                                            .isEqualTo("ok");
                                }
                                reads.incrementAndGet();
                            } while (!done.get());
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                }
                Await.until(Duration.ofSeconds(30), () -> reads.get() >= 3 || !failures.isEmpty(), "the readers are reading");
                int batches = 0;
                // publish until readers have been caught in the middle of publishes: at least 15 batches, at most 300
                while (batches < 15 || (readsDuringPublish.get() < 10 && batches < 300)) {
                    batches++;
                    List<Object[]> rows = new ArrayList<>();
                    for (int i = 0; i < 10; i++) rows.add(new Object[]{"INSERT INTO t VALUES (?, ?)", (long) batches, new byte[2000]});
                    primary.transaction(rows);
                    sync.sync();
                }
                done.set(true);
                for (Thread thread : threads) thread.join();
                assertThat(failures).isEmpty();
                assertThat(readsDuringPublish.get()).as("reads that began while a publish was under way (of %d reads, over %d publishes)",
                        reads.get(), batches).isGreaterThanOrEqualTo(10);
                assertThat(countsSeen).as("row counts the readers saw: they read between publishes, not only before and after")
                        .hasSizeGreaterThan(2);
                assertThat(reader.read(SqlStatement.of("SELECT count(*) AS n FROM t")).rows().getFirst().get("n")).isEqualTo(10L * batches);
            }
        }
    }

    @Test
    @DisplayName("a replica path with quotes in it works")
    void pathWithQuotes() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("o'brien's replicas"));
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE t (v TEXT)");
            primary.execute("INSERT INTO t VALUES ('quoted')");
            Path live = folder.resolve("replica.db");
            try (ReplicaSync sync = new ReplicaSync(live, primary.url())) {
                sync.sync();
                primary.execute("INSERT INTO t VALUES ('again')");
                sync.sync();
                try (ReplicaReader reader = ReplicaReader.open(live)) {
                    assertSameRows(primary, reader, "SELECT v FROM t ORDER BY rowid");
                }
            }
        }
    }

    @Test
    @DisplayName("reading before the first sync says to sync first")
    void noReplicaYet() {
        assertThatThrownBy(() -> ReplicaReader.open(dir.resolve("replica.db")))
                .isInstanceOf(StorageException.class).hasMessageContaining("ReplicaSync.sync()");
    }

    @Test
    @DisplayName("an empty primary gives an empty replica, which then follows the primary")
    void emptyPrimary() {
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            Path live = dir.resolve("replica.db");
            try (ReplicaSync sync = new ReplicaSync(live, primary.url())) {
                ReplicaSync.Result first = sync.sync();
                assertThat(first.mode()).isEqualTo(ReplicaSync.Mode.BOOTSTRAP);
                assertThat(first.dbSizePages()).isZero();
                try (ReplicaReader reader = ReplicaReader.open(live)) {
                    assertThat(names(reader, "table")).isEmpty();
                    primary.execute("CREATE TABLE t (v TEXT)");
                    primary.execute("INSERT INTO t VALUES ('first')");
                    assertThat(sync.sync().mode()).isEqualTo(ReplicaSync.Mode.INCREMENTAL);
                    assertSameRows(primary, reader, "SELECT * FROM t");
                    assertIntegrityOk(reader);
                }
            }
        }
    }

    @Test
    @DisplayName("writes on the replica are refused: they belong on the primary")
    void replicaIsReadOnly() {
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE t (v TEXT)");
            Path live = dir.resolve("replica.db");
            try (ReplicaSync sync = new ReplicaSync(live, primary.url())) {
                sync.sync();
                try (ReplicaReader reader = ReplicaReader.open(live)) {
                    assertThatThrownBy(() -> reader.read(SqlStatement.of("INSERT INTO t VALUES ('x')")))
                            .isInstanceOf(StorageException.class)
                            .hasMessageContaining("read-only").hasMessageContaining("primary");
                }
            }
        }
    }

    @Test
    @DisplayName("a primary reset to a new database (same URL, lower revision) makes the replica start over with the new content")
    void primaryResetRebootstraps() throws Exception {
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE old_table (v TEXT)");
            for (int i = 0; i < 5; i++) primary.execute("INSERT INTO old_table VALUES (?)", "old" + i);
            Path live = dir.resolve("replica.db");
            try (ReplicaSync sync = new ReplicaSync(live, primary.url())) {
                sync.sync();
            }
            // the same server address, on a new database file with other content and fewer commits
            primary.stop();
            Path database = primary.database();
            for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(Path.of(database + suffix));
            primary.restart();
            primary.execute("CREATE TABLE new_table (n INTEGER)");
            primary.execute("INSERT INTO new_table VALUES (1), (2), (3)");

            try (ReplicaSync sync = new ReplicaSync(live, primary.url());
                 ReplicaReader reader = ReplicaReader.open(live)) {
                assertThat(names(reader, "table")).containsExactly("old_table");
                ReplicaSync.Result result = sync.sync();
                assertThat(result.mode()).isEqualTo(ReplicaSync.Mode.BOOTSTRAP);
                assertThat(Long.parseLong(result.revisionAfter())).isLessThan(Long.parseLong(result.revisionBefore()));
                assertThat(names(reader, "table")).containsExactly("new_table");
                assertSameRows(primary, reader, "SELECT n FROM new_table ORDER BY n");
                assertIntegrityOk(reader);
            }
        }
    }

    @Test
    @DisplayName("a replica pointed at another primary is rebuilt from that primary")
    void otherPrimaryRebootstraps() {
        Path live = dir.resolve("replica.db");
        try (TursoPrimary first = TursoPrimary.start(dir.resolve("first.db"))) {
            first.execute("CREATE TABLE a (v TEXT)");
            try (ReplicaSync sync = new ReplicaSync(live, first.url())) {
                sync.sync();
            }
        }
        try (TursoPrimary second = TursoPrimary.start(dir.resolve("second.db"))) {
            second.execute("CREATE TABLE b (v TEXT)");
            second.execute("INSERT INTO b VALUES ('from the second primary')");
            try (ReplicaSync sync = new ReplicaSync(live, second.url());
                 ReplicaReader reader = ReplicaReader.open(live)) {
                assertThat(sync.sync().mode()).isEqualTo(ReplicaSync.Mode.BOOTSTRAP);
                assertThat(names(reader, "table")).containsExactly("b");
                assertSameRows(second, reader, "SELECT v FROM b");
            }
        }
    }

    @Test
    @DisplayName("the token is sent, and never shows in toString, exception messages or the meta file")
    void tokenStaysSecret() throws Exception {
        String token = "secret-token-123";
        Path live = dir.resolve("replica.db");
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE t (v TEXT)");
            primary.execute("INSERT INTO t VALUES ('with a token')");
            try (ReplicaSync sync = new ReplicaSync(live, primary.url(), token, null)) {
                assertThat(sync.sync().mode()).isEqualTo(ReplicaSync.Mode.BOOTSTRAP);
                assertThat(sync.toString()).doesNotContain(token).contains(primary.url());
                try (ReplicaReader reader = ReplicaReader.open(live)) {
                    assertSameRows(primary, reader, "SELECT v FROM t");
                }
                String meta = Files.readString(ReplicaMeta.pathFor(live), StandardCharsets.UTF_8);
                assertThat(meta).doesNotContain(token).contains(primary.url());

                primary.stop(); // now the pull fails
                assertThatThrownBy(sync::sync)
                        .isInstanceOfSatisfying(StorageException.class, e -> {
                            assertThat(e.isTransient()).isTrue();
                            assertThat(e.getMessage()).contains(primary.url()).doesNotContain(token);
                            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                                assertThat(String.valueOf(t.getMessage())).doesNotContain(token);
                            }
                        });
            }
        }
        for (Path file : List.of(live.resolveSibling("replica.db.replica.json"), live.resolveSibling("replica.db.shadow"))) {
            assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain(token);
        }
    }

    @Test
    @DisplayName("two ReplicaSyncs of one replica file take turns: each sees what the other published and builds on it")
    void syncersOfOneReplicaTakeTurns() {
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE t (v TEXT)");
            Path live = dir.resolve("replica.db");
            try (ReplicaSync first = new ReplicaSync(live, primary.url());
                 ReplicaSync second = new ReplicaSync(live, primary.url())) {
                assertThat(first.sync().mode()).isEqualTo(ReplicaSync.Mode.BOOTSTRAP);
                primary.execute("INSERT INTO t VALUES ('one')");
                assertThat(second.sync().mode()).as("the second finds the first's shadow and meta").isEqualTo(ReplicaSync.Mode.INCREMENTAL);
                primary.execute("INSERT INTO t VALUES ('two')");
                assertThat(first.sync().mode()).as("the first sees the meta moved on and checks the shadow").isEqualTo(ReplicaSync.Mode.INCREMENTAL);
                try (ReplicaReader reader = ReplicaReader.open(live)) {
                    assertThat(reader.read(SqlStatement.of("SELECT count(*) AS n FROM t")).rows().getFirst().getLong("n")).isEqualTo(2);
                }
            }
            try (ReplicaSync third = new ReplicaSync(live, primary.url())) {
                assertThat(third.sync().mode()).isEqualTo(ReplicaSync.Mode.UNCHANGED);
            }
        }
    }

    @Test
    @DisplayName("an unreachable primary is a transient error naming the server, and the replica keeps serving")
    void unreachablePrimary() {
        Path live = dir.resolve("replica.db");
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE t (v TEXT)");
            primary.execute("INSERT INTO t VALUES ('kept')");
            try (ReplicaSync sync = new ReplicaSync(live, primary.url());
                 ReplicaReader reader = ReplicaReader.open(createdBy(sync))) {
                primary.stop();
                assertThatThrownBy(sync::sync).isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.isTransient()).isTrue();
                    assertThat(e.getMessage()).contains(primary.url() + "").contains("cannot pull updates");
                });
                assertThat(reader.read(SqlStatement.of("SELECT v FROM t")).rows()).hasSize(1);
                primary.restart();
                primary.execute("INSERT INTO t VALUES ('after the outage')");
                assertThat(sync.sync().mode()).isEqualTo(ReplicaSync.Mode.INCREMENTAL);
                assertSameRows(primary, reader, "SELECT v FROM t ORDER BY rowid");
            }
        }
    }

    private static Path createdBy(ReplicaSync sync) {
        sync.sync();
        return sync.liveFile();
    }

    // ---- helpers shared with the crash tests ----

    static void assertSameRows(TursoPrimary primary, ReplicaReader reader, String sql) {
        List<Map<String, Object>> expected = primary.query(sql);
        List<Map<String, Object>> actual = reader.read(SqlStatement.of(sql)).rows().stream().map(SqlRow::values).toList();
        assertThat(actual).hasSameSizeAs(expected);
        if (!expected.isEmpty()) assertThat(actual.getFirst().keySet()).containsExactlyElementsOf(expected.getFirst().keySet());
        assertThat(TursoPrimary.canonical(actual)).isEqualTo(TursoPrimary.canonical(expected));
    }

    static void assertIntegrityOk(ReplicaReader reader) {
        assertThat(reader.read(SqlStatement.of("PRAGMA integrity_check")).rows())
                .extracting(r -> r.getString("integrity_check")).containsExactly("ok");
    }

    static List<String> names(ReplicaReader reader, String type) {
        return reader.read(SqlStatement.of("SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name", type))
                .rows().stream().map(r -> r.getString("name")).toList();
    }

    private static Connection openReader(Path live) throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + live);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA query_only = 1");
        }
        return c;
    }

    private static int count(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
