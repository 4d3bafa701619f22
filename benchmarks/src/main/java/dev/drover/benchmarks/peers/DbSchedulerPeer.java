package dev.drover.benchmarks.peers;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * db-scheduler (github.com/kagkarlsson/db-scheduler) on PostgreSQL, set up as its README recommends for high
 * throughput:
 * <ul>
 *   <li>polling strategy {@code lock-and-fetch} ({@code pollUsingLockAndFetch}): one {@code UPDATE ... FOR UPDATE SKIP
 *       LOCKED ... RETURNING} picks a batch, so a run costs that plus one {@code DELETE} per execution. The README: "If
 *       you are running &gt;1000 executions/s you might want to use the lock-and-fetch polling-strategy for lower
 *       overhead and higher throughput"; "For high throughput (i.e. keep threads busy), set to for example
 *       {@code 1.0, 4.0}" (lowerLimitFractionOfThreads, executionsPerBatchFractionOfThreads): fetch up to 4 &times;
 *       threads, fetch again when no more than 1 &times; threads are left (docs/performance.md measured ~10k
 *       executions/s with it);</li>
 *   <li>{@code threads(n)}: the executor's fixed pool, the harness's thread count;</li>
 *   <li>a short {@code pollingInterval} (default 10 s): after a full batch db-scheduler fetches again at once, the
 *       interval is only waited after a partial one;</li>
 *   <li>pushing with the batch API, {@code SchedulerClient.scheduleBatch(List, Instant)} (README "schedule in
 *       batches"), in chunks of {@link #PUSH_BATCH} (the Stream variant chunks at 100);</li>
 *   <li>the table: the README's PostgreSQL DDL (db-scheduler/src/test/resources/postgresql_tables.sql) in a schema
 *       of its own, named through {@code tableName(...)}.</li>
 * </ul>
 */
final class DbSchedulerPeer implements Peer {
    static final String ID = "dbscheduler-pg";
    static final double LOWER_LIMIT_FRACTION_OF_THREADS = 1.0;
    static final double EXECUTIONS_PER_BATCH_FRACTION_OF_THREADS = 4.0;
    static final Duration POLLING_INTERVAL = Duration.ofSeconds(1);
    static final int PUSH_BATCH = 1000;
    static final String TASK_NAME = "drover-bench-noop";

    private static final OneTimeTask<Void> NOOP = Tasks.oneTime(TASK_NAME).execute((instance, ctx) -> PeerJobs.run(Integer.valueOf(instance.getId())));

    static final class Factory implements PeerFactory {
        @Override
        public String id() {
            return ID;
        }

        @Override
        public Peer open(String postgresJdbcUrl, Path workDir) throws Exception {
            return new DbSchedulerPeer(postgresJdbcUrl);
        }
    }

    private final String jdbcUrl;
    private final String schema;
    private final String table;
    private final HikariDataSource pool;
    private final SchedulerClient client;
    private int sequence;
    private volatile Scheduler scheduler;
    private volatile IntConsumer ran;
    private volatile int threads;

    private DbSchedulerPeer(String jdbcUrl) throws Exception {
        this.jdbcUrl = jdbcUrl;
        this.schema = PeerSupport.createSchema(jdbcUrl, "bench_dbscheduler");
        this.table = schema + ".scheduled_tasks";
        HikariDataSource opened = null;
        try {
            PeerSupport.execute(jdbcUrl,
                    "CREATE TABLE " + table + " (task_name text not null, task_instance text not null, task_data bytea, "
                            + "execution_time timestamp with time zone not null, picked boolean not null, picked_by text, "
                            + "last_success timestamp with time zone, last_failure timestamp with time zone, "
                            + "consecutive_failures int, last_heartbeat timestamp with time zone, version bigint not null, "
                            + "priority smallint, PRIMARY KEY (task_name, task_instance))",
                    "CREATE INDEX execution_time_idx ON " + table + " (execution_time)",
                    "CREATE INDEX last_heartbeat_idx ON " + table + " (last_heartbeat)",
                    "CREATE INDEX priority_execution_time_idx ON " + table + " (priority desc, execution_time asc)");
            opened = PeerSupport.postgresPool(jdbcUrl, "db-scheduler-bench");
            this.client = SchedulerClient.Builder.create(opened, NOOP).tableName(table).build();
        } catch (Exception | Error e) {
            if (opened != null) opened.close();
            PeerSupport.dropSchema(jdbcUrl, schema);
            throw e;
        }
        this.pool = opened;
    }

    /** The schema this run's table lives in; dropped by {@link #close()}. */
    String schema() {
        return schema;
    }

    @Override
    public String name() {
        return "db-scheduler/postgresql";
    }

    @Override
    public String configuration() {
        int t = threads;
        String threadPart = t > 0
                ? "threads " + t + ", lock-and-fetch batch up to " + (int) (EXECUTIONS_PER_BATCH_FRACTION_OF_THREADS * t)
                        + ", HikariCP pool " + PeerSupport.postgresPoolSize(t)
                : "threads (set when workers start), HikariCP pool threads+" + PeerSupport.POOL_OVERHEAD;
        return "db-scheduler " + PeerSupport.version(Scheduler.class, "com.github.kagkarlsson", "db-scheduler")
                + ": pollUsingLockAndFetch(" + LOWER_LIMIT_FRACTION_OF_THREADS + ", "
                + EXECUTIONS_PER_BATCH_FRACTION_OF_THREADS + "), pollingInterval " + POLLING_INTERVAL.toMillis() + " ms, "
                + threadPart + ", push scheduleBatch x" + PUSH_BATCH + ", table " + table;
    }

    @Override
    public void push(int n, IntConsumer progress) {
        Instant now = Instant.now();
        int stored = 0;
        List<TaskInstance<?>> batch = new ArrayList<>(Math.min(n, PUSH_BATCH));
        while (stored < n) {
            batch.clear();
            int size = Math.min(PUSH_BATCH, n - stored);
            for (int i = 0; i < size; i++) {
                batch.add(NOOP.instance(Integer.toString(sequence++)));
            }
            client.scheduleBatch(batch, now);
            stored += size;
            progress.accept(stored);
        }
    }

    @Override
    public synchronized void startWorkers(int threads, IntConsumer ran) {
        PeerSupport.require(scheduler == null, "workers already started");
        PeerSupport.require(threads > 0, "threads must be positive");
        this.threads = threads;
        this.ran = ran;
        PeerJobs.onRun(ran);
        PeerSupport.resize(pool, PeerSupport.postgresPoolSize(threads));
        Scheduler s = Scheduler.create(pool, NOOP)
                .tableName(table)
                .threads(threads)
                .pollingInterval(POLLING_INTERVAL)
                .pollUsingLockAndFetch(LOWER_LIMIT_FRACTION_OF_THREADS, EXECUTIONS_PER_BATCH_FRACTION_OF_THREADS)
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build();
        s.start();
        scheduler = s;
    }

    @Override
    public synchronized void close() throws SQLException {
        try {
            Scheduler s = scheduler;
            if (s != null) {
                scheduler = null;
                s.stop();
            }
        } finally {
            try {
                pool.close();
            } finally {
                PeerJobs.clear(ran);
                PeerSupport.dropSchema(jdbcUrl, schema);
            }
        }
    }
}
