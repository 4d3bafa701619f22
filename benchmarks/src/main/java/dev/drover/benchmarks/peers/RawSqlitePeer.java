package dev.drover.benchmarks.peers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The SQLite reference, {@code raw-sqlite}: no Drover, no framework. A table of the same shape as Drover's (a 36-character
 * text id, the due-task and lease partial indexes, and Drover's indexes of finished tasks: by finishing time for
 * retention, by id for the DEAD and CANCELLED ones), pushed with one JDBC batch of INSERTs per transaction of 1,000, and drained by one thread that, per transaction, completes the previous
 * batch by rowid and claims the next 100 due tasks by rowid ({@code UPDATE … WHERE rowid IN (SELECT … LIMIT 100)
 * RETURNING}), running the no-op job in between. It is what hand-written SQL over sqlite-jdbc does on this machine:
 * the ceiling Drover's SQLite results are read against.
 */
public final class RawSqlitePeer implements Peer {
    /** Tasks claimed (and completed) per transaction. */
    static final int CLAIM_BATCH = 100;
    static final int PUSH_BATCH = 1_000;

    private final Connection connection;
    private final Path file;
    private volatile boolean stopping;
    private volatile int threadsAsked;
    private Thread drainer;
    private long ids;

    private RawSqlitePeer(Path file) throws SQLException {
        this.file = file;
        this.connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = NORMAL");
            s.execute("""
                    CREATE TABLE tasks (
                        id TEXT PRIMARY KEY, queue TEXT NOT NULL, state TEXT NOT NULL, priority INTEGER NOT NULL DEFAULT 0,
                        run_at INTEGER NOT NULL, attempt INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL,
                        payload BLOB NOT NULL, codec TEXT NOT NULL, lease_owner TEXT, lease_token TEXT, lease_expires_at INTEGER,
                        enqueued_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER)""");
            s.execute("CREATE INDEX tasks_due ON tasks (queue, priority DESC, run_at, id) WHERE state = 'PENDING'");
            s.execute("CREATE INDEX tasks_leases ON tasks (queue, lease_expires_at) WHERE state = 'RUNNING'");
            s.execute("CREATE INDEX tasks_dead_or_cancelled ON tasks (queue, state, id) WHERE state IN ('DEAD', 'CANCELLED')");
            s.execute("CREATE INDEX tasks_retention ON tasks (queue, state, finished_at) WHERE state IN ('DONE', 'DEAD', 'CANCELLED')");
        }
        connection.setAutoCommit(false);
    }

    @Override
    public String name() {
        return "raw/sqlite";
    }

    @Override
    public String configuration() {
        return "hand-written SQL over sqlite-jdbc " + PeerSupport.version(org.sqlite.JDBC.class, "org.xerial", "sqlite-jdbc")
                + ", WAL, synchronous=NORMAL; push: JDBC batches of " + PUSH_BATCH + " INSERTs, one transaction each; drain: one thread, "
                + "per transaction complete the last " + CLAIM_BATCH + " by rowid and claim the next " + CLAIM_BATCH
                + " by rowid (the " + threadsAsked + " worker threads asked for are not used: the reference is the storage's own rate)";
    }

    @Override
    public void push(int n, IntConsumer progress) throws SQLException {
        long now = System.currentTimeMillis();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO tasks (id, queue, state, priority, run_at, attempt, max_attempts, payload, codec, enqueued_at)
                VALUES (?, 'bench', 'PENDING', 0, ?, 0, 20, ?, 'json', ?)""")) {
            for (int i = 0; i < n; i++) {
                insert.setString(1, nextId(now));
                insert.setLong(2, now);
                insert.setBytes(3, ("{\"seq\":" + i + ",\"pushedNanos\":" + System.nanoTime() + "}").getBytes(StandardCharsets.UTF_8));
                insert.setLong(4, now);
                insert.addBatch();
                if ((i + 1) % PUSH_BATCH == 0 || i == n - 1) {
                    insert.executeBatch();
                    connection.commit();
                    progress.accept(i + 1);
                }
            }
        }
    }

    /** A 36-character, time-ordered id, as Drover's UUIDv7 ids are: rows go in at the end of the id index. */
    private String nextId(long now) {
        long seq = ids++;
        return String.format("%08x-%04x-7%03x-8%03x-%012x", now >>> 16, now & 0xffff, (seq >>> 48) & 0xfff, (seq >>> 36) & 0xfff,
                seq & 0xffffffffffffL);
    }

    @Override
    public void startWorkers(int threads, IntConsumer ran) {
        threadsAsked = threads;
        drainer = Thread.ofPlatform().name("raw-sqlite-drain").start(() -> drain(ran));
    }

    private void drain(IntConsumer ran) {
        try (PreparedStatement claim = connection.prepareStatement("""
                UPDATE tasks SET state = 'RUNNING', attempt = attempt + 1, lease_owner = 'raw', lease_token = lower(hex(randomblob(16))),
                                 lease_expires_at = ?1 + 30000, started_at = ?1
                 WHERE rowid IN (SELECT rowid FROM tasks WHERE queue = 'bench' AND state = 'PENDING' AND run_at <= ?1
                                  ORDER BY priority DESC, run_at, id LIMIT ?2)
                RETURNING rowid, payload""")) {
            List<Long> done = new ArrayList<>();
            while (!stopping) {
                long now = System.currentTimeMillis();
                complete(done, now);
                done.clear();
                claim.setLong(1, now);
                claim.setInt(2, CLAIM_BATCH);
                List<byte[]> payloads = new ArrayList<>();
                try (ResultSet rs = claim.executeQuery()) {
                    while (rs.next()) {
                        done.add(rs.getLong(1));
                        payloads.add(rs.getBytes(2));
                    }
                }
                connection.commit();
                for (byte[] p : payloads) ran.accept(seq(p));
                if (payloads.isEmpty()) Thread.sleep(5); // an empty queue: poll again shortly, as a worker would
            }
            complete(done, System.currentTimeMillis());
            connection.commit();
        } catch (SQLException e) {
            if (!stopping) throw new IllegalStateException("raw-sqlite drain failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Completes the claimed rows in one statement, in the transaction of the next claim. */
    private void complete(List<Long> rowids, long now) throws SQLException {
        if (rowids.isEmpty()) return;
        StringBuilder sql = new StringBuilder("UPDATE tasks SET state = 'DONE', finished_at = ?, lease_expires_at = NULL WHERE rowid IN (");
        for (int i = 0; i < rowids.size(); i++) sql.append(i == 0 ? "?" : ",?");
        try (PreparedStatement update = connection.prepareStatement(sql.append(')').toString())) {
            update.setLong(1, now);
            for (int i = 0; i < rowids.size(); i++) update.setLong(i + 2, rowids.get(i));
            update.executeUpdate();
        }
    }

    static int seq(byte[] payload) {
        String s = new String(payload, StandardCharsets.UTF_8);
        int start = s.indexOf(':') + 1;
        return Integer.parseInt(s.substring(start, s.indexOf(',', start)));
    }

    @Override
    public void close() throws Exception {
        stopping = true;
        if (drainer != null) drainer.join();
        connection.close();
        for (String suffix : new String[] {"", "-wal", "-shm"}) java.nio.file.Files.deleteIfExists(Path.of(file + suffix));
    }

    /** Opens {@code raw-sqlite} on a fresh file in the run's folder. */
    public static final class Factory implements PeerFactory {
        @Override
        public String id() {
            return "raw-sqlite";
        }

        @Override
        public Peer open(String postgresJdbcUrl, Path workDir) throws Exception {
            return new RawSqlitePeer(workDir.resolve("raw.db"));
        }
    }
}
