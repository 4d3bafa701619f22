package dev.drover.benchmarks.peers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jobrunr.jobs.details.CachingJobDetailsGenerator;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.configuration.BackgroundJobServerThreadType;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.StorageProviderUtils.DatabaseOptions;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.storage.sql.sqlite.SqLiteStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson3.Jackson3JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * JobRunr OSS (github.com/jobrunr/jobrunr) on PostgreSQL or SQLite, wired as the Fluent API's {@code initialize()}
 * does (storage provider with a {@link JobMapper}, {@link JobScheduler}, {@link BackgroundJobServer}) but without the
 * {@code JobRunr} singleton, which would register a JVM shutdown hook per run. Set up for throughput as JobRunr's
 * documentation (jobrunr.io) describes:
 * <ul>
 *   <li>pushing with the bulk API, {@code JobScheduler.enqueue(Stream, JobLambdaFromStream)} ("Enqueueing background
 *       jobs in bulk ... saves these jobs in bulk to the database - resulting in a big performance improvement"), in
 *       chunks of {@link StorageProvider#BATCH_SIZE} (5000, the size JobRunr saves a stream in) so progress can be
 *       reported; with the Fluent API's {@code CachingJobDetailsGenerator} (the plain {@code JobScheduler}
 *       constructor would parse the lambda's bytecode again for every job), and a lambda that passes the stream item
 *       on, {@code seq -> PeerJobs.run(seq)}, as the docs' examples do (the cache is used only then);</li>
 *   <li>{@code usingStandardBackgroundJobServerConfiguration().andWorkerCount(n)} with the smallest poll interval
 *       JobRunr accepts, 5 s (default 15 s; smaller is refused: "The smallest supported pollInterval is 5 seconds").
 *       The interval only paces the first fetch and the servers' bookkeeping: a worker that goes idle asks for new
 *       work at once ({@code JobSteward.notifyThreadIdle}), and the first fetch runs 1 s after start
 *       (min(pollInterval / 5, 1 s));</li>
 *   <li>worker threads of JobRunr's default type on JDK 21+, virtual threads (docs "Virtual Threads": "use Virtual
 *       Threads to increase the throughput"); the worker count bounds the jobs run at once;</li>
 *   <li>no dashboard, no JMX, no metrics;</li>
 *   <li>JSON: {@code Jackson3JsonMapper} (JobRunr 8's mapper for {@code tools.jackson}, the Jackson Drover uses), so
 *       no second JSON library joins the class path;</li>
 *   <li>PostgreSQL: {@code PostgresStorageProvider} with table prefix {@code <schema>.} (docs "Table prefix and
 *       schema": "handy if you want to place the tables in a specific schema"), tables created by JobRunr's own
 *       migrations; SQLite: {@code SqLiteStorageProvider} (it refuses a prefix) on a file in the run's folder,
 *       through HikariCP as the docs' SQLite page shows, in WAL mode with synchronous=NORMAL like Drover's SQLite
 *       backend, and a pool of one connection: with several, fetching work (a read, then an update, in one
 *       transaction) fails with SQLITE_BUSY_SNAPSHOT as soon as the workers are busy.</li>
 * </ul>
 */
final class JobRunrPeer implements Peer {
    static final String PG_ID = "jobrunr-pg";
    static final String SQLITE_ID = "jobrunr-sqlite";
    /** JobRunr's minimum for SQL and NoSQL storage (AbstractStorageProvider.validatePollInterval). */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    /** What {@code andWorkerCount} picks: virtual threads on JDK 21+, for {@link #configuration()}. */
    static final BackgroundJobServerThreadType THREAD_TYPE = BackgroundJobServerThreadType.getDefaultThreadType();
    /** One connection: with more, JobRunr's read-then-update transactions fail with SQLITE_BUSY_SNAPSHOT under load. */
    static final int SQLITE_POOL = 1;

    static final class PostgresFactory implements PeerFactory {
        @Override
        public String id() {
            return PG_ID;
        }

        @Override
        public Peer open(String postgresJdbcUrl, Path workDir) throws Exception {
            String schema = PeerSupport.createSchema(postgresJdbcUrl, "bench_jobrunr");
            HikariDataSource pool = null;
            try {
                pool = PeerSupport.postgresPool(postgresJdbcUrl, "jobrunr-bench");
                StorageProvider storage = new PostgresStorageProvider(pool, schema + ".", DatabaseOptions.CREATE);
                return new JobRunrPeer("JobRunr/postgresql", pool, storage, true, "PostgreSQL, table prefix " + schema + ".",
                        () -> PeerSupport.dropSchema(postgresJdbcUrl, schema), schema);
            } catch (Exception | Error e) {
                if (pool != null) pool.close();
                PeerSupport.dropSchema(postgresJdbcUrl, schema);
                throw e;
            }
        }
    }

    static final class SqliteFactory implements PeerFactory {
        @Override
        public String id() {
            return SQLITE_ID;
        }

        @Override
        public Peer open(String postgresJdbcUrl, Path workDir) throws Exception {
            Files.createDirectories(workDir);
            Path file = workDir.resolve("jobrunr.db");
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=30000");
            config.setPoolName("jobrunr-sqlite-bench");
            config.setMaximumPoolSize(SQLITE_POOL);
            HikariDataSource pool = new HikariDataSource(config);
            try {
                StorageProvider storage = new SqLiteStorageProvider(pool, DatabaseOptions.CREATE);
                return new JobRunrPeer("JobRunr/sqlite", pool, storage, false,
                        "SQLite " + file.getFileName() + " (WAL, synchronous=NORMAL), HikariCP pool " + SQLITE_POOL,
                        () -> {
                            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
                            }
                        }, null);
            } catch (Exception | Error e) {
                pool.close();
                throw e;
            }
        }
    }

    @FunctionalInterface
    interface Cleanup {
        void run() throws IOException, SQLException;
    }

    private final String name;
    private final HikariDataSource pool;
    private final StorageProvider storage;
    private final boolean resizePool;
    private final String database;
    private final Cleanup cleanup;
    private final String schema;
    private final JsonMapper jsonMapper;
    private final JobScheduler scheduler;
    private volatile BackgroundJobServer server;
    private volatile IntConsumer ran;
    private volatile int threads;

    private JobRunrPeer(String name, HikariDataSource pool, StorageProvider storage, boolean resizePool, String database,
                        Cleanup cleanup, String schema) {
        this.name = name;
        this.pool = pool;
        this.storage = storage;
        this.resizePool = resizePool;
        this.database = database;
        this.cleanup = cleanup;
        this.schema = schema;
        this.jsonMapper = new Jackson3JsonMapper();
        storage.setJobMapper(new JobMapper(jsonMapper));
        // As JobRunrConfiguration.initialize(): the caching generator analyses the job lambda's bytecode once, not per job.
        this.scheduler = new JobScheduler(storage, new CachingJobDetailsGenerator(), List.of());
    }

    /** The PostgreSQL schema holding this run's tables (dropped by {@link #close()}), null on SQLite. */
    String schema() {
        return schema;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String configuration() {
        int t = threads;
        String pg = resizePool ? ", HikariCP pool " + (t > 0 ? Integer.toString(PeerSupport.postgresPoolSize(t))
                : "workers+" + PeerSupport.POOL_OVERHEAD) : "";
        return "JobRunr " + PeerSupport.version(JobScheduler.class, "org.jobrunr", "jobrunr")
                + ": workerCount " + (t > 0 ? Integer.toString(t) : "(set when workers start)") + " (" + THREAD_TYPE
                + "), pollInterval " + POLL_INTERVAL.toSeconds() + " s (minimum), push enqueue(Stream) x"
                + StorageProvider.BATCH_SIZE + ", Jackson3JsonMapper, no dashboard, " + database + pg;
    }

    @Override
    public void push(int n, IntConsumer progress) {
        int stored = 0;
        while (stored < n) {
            int size = Math.min(StorageProvider.BATCH_SIZE, n - stored);
            scheduler.enqueue(IntStream.range(stored, stored + size).boxed(), seq -> PeerJobs.run(seq));
            stored += size;
            progress.accept(stored);
        }
    }

    @Override
    public synchronized void startWorkers(int threads, IntConsumer ran) {
        PeerSupport.require(server == null, "workers already started");
        PeerSupport.require(threads > 0, "threads must be positive");
        this.threads = threads;
        this.ran = ran;
        PeerJobs.onRun(ran);
        if (resizePool) PeerSupport.resize(pool, PeerSupport.postgresPoolSize(threads));
        BackgroundJobServerConfiguration config = BackgroundJobServerConfiguration
                .usingStandardBackgroundJobServerConfiguration()
                .andWorkerCount(threads)
                .andPollInterval(POLL_INTERVAL);
        BackgroundJobServer s = new BackgroundJobServer(storage, jsonMapper, null, config);
        s.start();
        server = s;
    }

    @Override
    public synchronized void close() throws IOException, SQLException {
        try {
            BackgroundJobServer s = server;
            if (s != null) {
                server = null;
                s.stop();
            }
        } finally {
            try {
                storage.close();
            } finally {
                try {
                    pool.close();
                } finally {
                    PeerJobs.clear(ran);
                    cleanup.run();
                }
            }
        }
    }
}
