package dev.drover.benchmarks.peers;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;

/**
 * The PostgreSQL reference, {@code raw-pgmq}: PGMQ itself, no Drover. Where the {@code pgmq} extension is installed it
 * calls pgmq's own functions ({@code send_batch}, {@code read}, {@code archive}); elsewhere the same statements by hand
 * on tables of pgmq's layout (a queue table with its {@code vt} index, an archive table), in a schema of the run's own.
 * Pushes go in batches of 1,000; one thread reads 100 at a time and archives them, each call its own transaction, as
 * pgmq's functions are. It is the ceiling Drover's PGMQ results are read against.
 */
public final class RawPgmqPeer implements Peer {
    static final int READ_BATCH = 100;
    static final int PUSH_BATCH = 1_000;

    private final String jdbcUrl;
    private final Connection connection;
    private final boolean extension;
    private final String schema;
    private final String queue;
    private volatile boolean stopping;
    private volatile int threadsAsked;
    private Thread drainer;

    private RawPgmqPeer(String jdbcUrl) throws SQLException {
        this.jdbcUrl = jdbcUrl;
        this.connection = DriverManager.getConnection(jdbcUrl);
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'pgmq'")) {
            this.extension = rs.next();
        }
        if (extension) {
            this.schema = null;
            this.queue = "bench_raw_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24, 1 << 28));
            try (PreparedStatement create = connection.prepareStatement("SELECT pgmq.create(?)")) {
                create.setString(1, queue);
                create.execute();
            }
        } else {
            this.schema = PeerSupport.createSchema(jdbcUrl, "bench_rawpgmq");
            this.queue = null;
            PeerSupport.execute(jdbcUrl, """
                    CREATE TABLE %1$s.q (
                        msg_id BIGINT PRIMARY KEY GENERATED ALWAYS AS IDENTITY, read_ct INT DEFAULT 0 NOT NULL,
                        enqueued_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, last_read_at TIMESTAMP WITH TIME ZONE,
                        vt TIMESTAMP WITH TIME ZONE NOT NULL, message JSONB, headers JSONB)""".formatted(schema), """
                    CREATE TABLE %1$s.a (
                        msg_id BIGINT PRIMARY KEY, read_ct INT DEFAULT 0 NOT NULL,
                        enqueued_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, last_read_at TIMESTAMP WITH TIME ZONE,
                        archived_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, vt TIMESTAMP WITH TIME ZONE NOT NULL,
                        message JSONB, headers JSONB)""".formatted(schema),
                    "CREATE INDEX ON %1$s.q (vt ASC)".formatted(schema),
                    "CREATE INDEX ON %1$s.a (archived_at)".formatted(schema));
        }
    }

    @Override
    public String name() {
        return extension ? "raw/pgmq-extension" : "raw/pgmq-plain";
    }

    @Override
    public String configuration() {
        return (extension ? "pgmq's own functions (send_batch, read, archive) on queue " + queue
                : "pgmq's read and archive statements by hand on pgmq's table layout in schema " + schema)
                + "; push: batches of " + PUSH_BATCH + "; drain: one thread, read " + READ_BATCH + " (vt 30 s) then archive them, "
                + "each its own transaction (the " + threadsAsked + " worker threads asked for are not used: the reference is the storage's own rate)";
    }

    @Override
    public void push(int n, IntConsumer progress) throws SQLException {
        String sql = extension ? "SELECT pgmq.send_batch(?, ?::jsonb[])"
                : "INSERT INTO %s.q (vt, message) SELECT clock_timestamp(), m FROM unnest(?::jsonb[]) AS m".formatted(schema);
        try (PreparedStatement send = connection.prepareStatement(sql)) {
            for (int from = 0; from < n; from += PUSH_BATCH) {
                int to = Math.min(n, from + PUSH_BATCH);
                String[] messages = new String[to - from];
                for (int i = from; i < to; i++) messages[i - from] = "{\"seq\":" + i + ",\"pushedNanos\":" + System.nanoTime() + "}";
                Array array = connection.createArrayOf("text", messages);
                int p = 1;
                if (extension) send.setString(p++, queue);
                send.setArray(p, array);
                send.execute();
                progress.accept(to);
            }
        }
    }

    @Override
    public void startWorkers(int threads, IntConsumer ran) {
        threadsAsked = threads;
        drainer = Thread.ofPlatform().name("raw-pgmq-drain").start(() -> drain(ran));
    }

    private void drain(IntConsumer ran) {
        String read = extension ? "SELECT msg_id, message::text FROM pgmq.read(?, 30, ?)" : """
                WITH cte AS (SELECT msg_id FROM %1$s.q WHERE vt <= clock_timestamp() ORDER BY msg_id LIMIT ? FOR UPDATE SKIP LOCKED)
                UPDATE %1$s.q m SET vt = clock_timestamp() + interval '30 seconds', read_ct = read_ct + 1, last_read_at = clock_timestamp()
                  FROM cte WHERE m.msg_id = cte.msg_id
                RETURNING m.msg_id, m.message::text""".formatted(schema);
        String archive = extension ? "SELECT pgmq.archive(?, ?::bigint[])" : """
                WITH archived AS (DELETE FROM %1$s.q WHERE msg_id = ANY(?) RETURNING msg_id, vt, read_ct, enqueued_at, last_read_at, message, headers)
                INSERT INTO %1$s.a (msg_id, vt, read_ct, enqueued_at, last_read_at, message, headers)
                SELECT msg_id, vt, read_ct, enqueued_at, last_read_at, message, headers FROM archived""".formatted(schema);
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement readStatement = c.prepareStatement(read);
             PreparedStatement archiveStatement = c.prepareStatement(archive)) {
            while (!stopping) {
                int p = 1;
                if (extension) readStatement.setString(p++, queue);
                readStatement.setInt(p, READ_BATCH);
                List<Long> ids = new ArrayList<>(READ_BATCH);
                List<String> messages = new ArrayList<>(READ_BATCH);
                try (ResultSet rs = readStatement.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        messages.add(rs.getString(2));
                    }
                }
                if (ids.isEmpty()) {
                    Thread.sleep(5); // an empty queue: poll again shortly, as a worker would
                    continue;
                }
                for (String m : messages) ran.accept(seq(m));
                p = 1;
                if (extension) archiveStatement.setString(p++, queue);
                archiveStatement.setArray(p, c.createArrayOf("bigint", ids.toArray()));
                archiveStatement.execute();
            }
        } catch (SQLException e) {
            if (!stopping) throw new IllegalStateException("raw-pgmq drain failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run's schema in plain mode; null where pgmq's own functions keep the queue. */
    String schema() {
        return schema;
    }

    static int seq(String message) {
        int start = message.indexOf(':') + 1;
        return Integer.parseInt(message.substring(start, message.indexOf(',', start)).strip());
    }

    @Override
    public void close() throws Exception {
        stopping = true;
        if (drainer != null) drainer.join();
        try {
            if (extension) {
                try (PreparedStatement drop = connection.prepareStatement("SELECT pgmq.drop_queue(?)")) {
                    drop.setString(1, queue);
                    drop.execute();
                }
            } else {
                PeerSupport.dropSchema(jdbcUrl, schema);
            }
        } finally {
            connection.close();
        }
    }

    /** Opens {@code raw-pgmq} on the harness's PostgreSQL. */
    public static final class Factory implements PeerFactory {
        @Override
        public String id() {
            return "raw-pgmq";
        }

        @Override
        public Peer open(String postgresJdbcUrl, Path workDir) throws Exception {
            return new RawPgmqPeer(postgresJdbcUrl);
        }
    }
}
