package dev.drover.sqlite.jdbc;

import dev.drover.api.ConfigurationException;
import dev.drover.api.DroverException;
import dev.drover.api.StorageException;
import dev.drover.sqlite.SqliteOptions;
import dev.drover.sqlite.jdbc.SqliteErrors.Action;
import dev.drover.sqlite.sql.SqlResult;
import dev.drover.sqlite.sql.SqlRow;
import dev.drover.sqlite.sql.SqlStatement;
import dev.drover.sqlite.sql.SqlTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteCommitListener;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link SqlTransport} over sqlite-jdbc to a local file (or a private in-memory database).
 *
 * <p>One writer connection, guarded by a lock, so writes of one process never contend with each other; across
 * processes every write transaction starts with {@code BEGIN IMMEDIATE}, so it takes the write lock up front
 * (waiting up to busyTimeout) and never fails half-way on a lock upgrade. The writer stays in auto-commit mode and
 * issues BEGIN IMMEDIATE / COMMIT / ROLLBACK itself: sqlite-jdbc, once auto-commit is off, begins the next
 * transaction right after each commit, and in IMMEDIATE mode that would hold the write lock between writes and
 * starve every other process. Reads use a small pool of read-only connections (WAL lets them run beside the
 * writer). Prepared statements are cached per connection; consecutive statements with the same SQL that return
 * no rows go to the driver as one batch. Every write checks, just before its COMMIT, that the path still names the
 * file that was opened ({@link DatabaseFile}), so no write is acknowledged into a deleted or replaced file. The WAL is
 * checkpointed on a thread and connection of its own ({@link BackgroundCheckpoints}), not inside a writer's COMMIT.
 */
public final class JdbcSqlTransport implements SqlTransport {
    private static final Logger log = LoggerFactory.getLogger(JdbcSqlTransport.class);
    private static final String MEMORY = ":memory:";
    private static final int STATEMENT_CACHE_SIZE = 64;

    private final String scheme;
    private final Path file; // null for :memory:
    private final DatabaseFile opened; // null for :memory:
    /** The journal mode the file had before this transport put it in WAL mode; null for :memory:. */
    private final String journalBefore;
    private final String description;
    private final SqliteErrors errors;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Session writer;
    private final BlockingQueue<Session> readers;
    /** Null for :memory: and for a file SQLite would not put in WAL mode. */
    private final BackgroundCheckpoints checkpoints;
    private final int busyTimeoutMillis;
    private volatile boolean closed;

    private JdbcSqlTransport(String scheme, Path file, DatabaseFile opened, String journalBefore, Session writer, List<Session> readers,
                             BackgroundCheckpoints checkpoints, SqliteErrors errors, int busyTimeoutMillis) {
        this.checkpoints = checkpoints;
        this.scheme = scheme;
        this.file = file;
        this.opened = opened;
        this.journalBefore = journalBefore;
        this.description = scheme + ":" + (file == null ? MEMORY : file.toString());
        this.writer = writer;
        this.readers = new ArrayBlockingQueue<>(Math.max(1, readers.size()), false, readers);
        this.errors = errors;
        this.busyTimeoutMillis = busyTimeoutMillis;
    }

    /**
     * Opens (creating if missing) the database file. The folder must exist. Fails with a
     * {@link ConfigurationException} for a path that cannot be a database file and a {@link StorageException}
     * for a file SQLite cannot use.
     */
    public static JdbcSqlTransport open(Path file, SqliteOptions options) {
        return open(file, options, "sqlite");
    }

    /**
     * Opens the file as {@link #open(Path, SqliteOptions)} does, for a URL of the scheme {@code scheme} ({@code libsql} for
     * libSQL's local files): messages and {@link #describe()} name that scheme.
     */
    public static JdbcSqlTransport open(Path file, SqliteOptions options, String scheme) {
        Objects.requireNonNull(scheme, "scheme");
        Path path = file.toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            throw new ConfigurationException(path + " is a directory, not a database file: point the " + scheme + ": URL at a file, for example "
                    + scheme + ":" + path.resolve("jobs.db"));
        }
        Path folder = path.getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new ConfigurationException("the folder " + folder + " of database " + path.getFileName()
                    + " does not exist: create it, or point the " + scheme + ": URL at a file in an existing folder");
        }
        SqliteErrors errors = new SqliteErrors(path.toString(), scheme, options.busyTimeoutMillis());
        String url = "jdbc:sqlite:" + path;
        Session writer = null;
        List<Session> readers = new ArrayList<>();
        BackgroundCheckpoints checkpoints = null;
        DatabaseFile opened;
        String journalBefore;
        try {
            writer = new Session(connectionConfig(options).createConnection(url));
            writer.pragma("busy_timeout = " + options.busyTimeoutMillis());
            journalBefore = writer.pragma("journal_mode");
            String journal = writer.switchToWal(options.busyTimeoutMillis());
            writer.pragma("synchronous = " + options.synchronous().name());
            if ("wal".equalsIgnoreCase(journal)) {
                writer.pragma("wal_autocheckpoint = " + BackgroundCheckpoints.WRITER_AUTOCHECKPOINT_PAGES);
                checkpoints = new BackgroundCheckpoints(connectionConfig(options).createConnection(url), scheme + ":" + path);
            } else {
                log.warn("SQLite database {} is in journal mode {}, not WAL (the file system may not support WAL): "
                        + "readers will wait for writers and throughput will be lower", path, journal);
            }
            for (int i = 0; i < options.readers(); i++) {
                SQLiteConfig config = connectionConfig(options);
                config.setReadOnly(true);
                Session reader = new Session(config.createConnection(url));
                readers.add(reader);
                reader.pragma("busy_timeout = " + options.busyTimeoutMillis());
            }
            opened = DatabaseFile.opened(path);
        } catch (SQLException e) {
            closeAll(writer, readers, checkpoints);
            throw errors.translate(e, Action.OPENING);
        } catch (IOException e) {
            closeAll(writer, readers, checkpoints);
            throw new StorageException("cannot look at " + path + " right after opening it (" + e + "): check the file and its folder", false, e);
        }
        log.debug("opened SQLite database {} (busyTimeout={}ms, synchronous={}, readers={})",
                path, options.busyTimeoutMillis(), options.synchronous(), options.readers());
        return new JdbcSqlTransport(scheme, path, opened, journalBefore, writer, readers, checkpoints, errors, options.busyTimeoutMillis());
    }

    private static void closeAll(Session writer, List<Session> readers, BackgroundCheckpoints checkpoints) {
        if (checkpoints != null) checkpoints.close();
        readers.forEach(Session::closeQuietly);
        if (writer != null) writer.closeQuietly();
    }

    /** A private in-memory database, gone when this transport closes. One connection serves reads and writes. */
    public static JdbcSqlTransport openInMemory(SqliteOptions options) {
        return openInMemory(options, "sqlite");
    }

    /** A private in-memory database, for a URL of the scheme {@code scheme}, which messages name. */
    public static JdbcSqlTransport openInMemory(SqliteOptions options, String scheme) {
        Objects.requireNonNull(scheme, "scheme");
        SqliteErrors errors = new SqliteErrors(MEMORY, scheme, options.busyTimeoutMillis());
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(options.busyTimeoutMillis());
            Session session = new Session(config.createConnection("jdbc:sqlite::memory:"));
            return new JdbcSqlTransport(scheme, null, null, null, session, List.of(), null, errors, options.busyTimeoutMillis());
        } catch (SQLException e) {
            throw errors.translate(e, Action.OPENING);
        }
    }

    /**
     * Only the busy timeout: the journal mode and the other pragmas are set after the connection is open, where a
     * busy database can be waited for (SQLiteConfig would run them while connecting and fail at once).
     */
    private static SQLiteConfig connectionConfig(SqliteOptions options) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(options.busyTimeoutMillis());
        return config;
    }

    /** The database file (absolute), or empty for an in-memory database. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public List<SqlResult> write(List<SqlStatement> statements) {
        if (statements.isEmpty()) return List.of();
        writeLock.lock();
        try {
            requireOpen();
            writer.begin();
            try {
                List<SqlResult> results = writer.run(statements);
                // Last before the COMMIT, so a write that is acknowledged is in the file at the path. A file deleted in the
                // microseconds between this check and the COMMIT is not noticed: that one write is lost with the file.
                if (opened != null) opened.requireUnchanged(true);
                writer.commit();
                if (checkpoints != null) checkpoints.committed();
                return results;
            } catch (SQLException | RuntimeException e) {
                writer.rollback(e);
                throw e;
            }
        } catch (SQLException e) {
            throw errors.translate(e, Action.WRITING);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public SqlResult read(SqlStatement statement) {
        requireOpen();
        if (file == null) {
            writeLock.lock();
            try {
                requireOpen();
                return writer.runOne(statement);
            } catch (SQLException e) {
                throw errors.translate(e, Action.READING);
            } finally {
                writeLock.unlock();
            }
        }
        opened.requireUnchanged(false);
        Session reader = borrowReader();
        try {
            return reader.runOne(statement);
        } catch (SQLException e) {
            throw errors.translate(e, Action.READING);
        } finally {
            if (closed) {
                reader.closeQuietly();
            } else {
                readers.add(reader);
            }
        }
    }

    /**
     * Runs {@code statements} on the application's own {@code connection} to this database, inside the transaction
     * it has open (or, in auto-commit mode, in one of their own), all or nothing: they run inside a SAVEPOINT that is
     * rolled back if one fails. The connection's transaction is never committed nor rolled back here.
     * {@code afterCommit} runs once the caller's transaction commits (not at all if it rolls back).
     *
     * @throws DroverException when the connection is not a SQLite connection to this same file
     */
    public List<SqlResult> writeWithin(Connection connection, List<SqlStatement> statements, Runnable afterCommit) {
        Objects.requireNonNull(connection, "connection");
        if (statements.isEmpty()) return List.of();
        requireOpen();
        if (opened != null) opened.requireUnchanged(true);
        try {
            requireSameDatabase(connection);
            boolean autoCommit = connection.getAutoCommit();
            Session caller = new Session(connection);
            List<SqlResult> results;
            try {
                caller.execute("SAVEPOINT drover_push");
                try {
                    results = caller.run(statements);
                } catch (SQLException | RuntimeException e) {
                    try {
                        caller.execute("ROLLBACK TO drover_push");
                    } catch (SQLException again) {
                        e.addSuppressed(again);
                    }
                    try {
                        caller.execute("RELEASE drover_push");
                    } catch (SQLException again) {
                        e.addSuppressed(again);
                    }
                    throw e;
                }
                caller.execute("RELEASE drover_push");
            } finally {
                caller.closeStatements();
            }
            if (autoCommit) {
                afterCommit.run();
            } else {
                runAfterCommit(connection.unwrap(SQLiteConnection.class), afterCommit);
            }
            return results;
        } catch (SQLException e) {
            throw errors.translate(e, Action.WRITING_WITHIN);
        }
    }

    private void requireSameDatabase(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(SQLiteConnection.class)) {
            throw new DroverException("the Connection given to push is not a SQLite connection (it is "
                    + connection.getMetaData().getDatabaseProductName() + "), but this backend stores tasks in " + describe()
                    + ": pass a connection to that file (jdbc:sqlite:" + file + ")");
        }
        String main = null;
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("PRAGMA database_list")) {
            while (rs.next()) {
                if ("main".equals(rs.getString("name"))) main = rs.getString("file");
            }
        }
        if (file == null || main == null || main.isEmpty() || !sameFile(Path.of(main), file)) {
            String theirs = main == null || main.isEmpty() ? "an in-memory or temporary database" : main;
            throw new DroverException("the Connection given to push is on " + theirs + ", but this backend stores tasks in "
                    + describe() + ": a transactional push must use a connection to the same file (jdbc:sqlite:" + file
                    + "), or push without a Connection");
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /**
     * Runs {@code action} after the connection's current transaction commits; forgets it if it rolls back. Each
     * application connection gets one commit listener for its whole life (removing a listener from a connection
     * the application may close at any moment crashes sqlite-jdbc's native code); connections are weak keys.
     */
    private static void runAfterCommit(SQLiteConnection connection, Runnable action) {
        AfterCommit listener;
        synchronized (AFTER_COMMIT) {
            listener = AFTER_COMMIT.get(connection);
            if (listener == null) {
                listener = new AfterCommit();
                connection.addCommitListener(listener);
                AFTER_COMMIT.put(connection, listener);
            }
        }
        listener.add(action);
    }

    private static final Map<SQLiteConnection, AfterCommit> AFTER_COMMIT = new WeakHashMap<>();

    /** Actions waiting for their connection's transaction to end. Holds no reference to the connection. */
    private static final class AfterCommit implements SQLiteCommitListener {
        private final List<Runnable> pending = new ArrayList<>();

        synchronized void add(Runnable action) {
            pending.add(action);
        }

        private synchronized List<Runnable> take() {
            if (pending.isEmpty()) return List.of();
            List<Runnable> taken = List.copyOf(pending);
            pending.clear();
            return taken;
        }

        @Override
        public void onCommit() {
            List<Runnable> actions = take();
            if (actions.isEmpty()) return;
            // Called from SQLite's commit hook, inside the COMMIT: act on another thread, never in the hook.
            Thread.ofVirtual().name("drover-sqlite-after-commit").start(() -> {
                for (Runnable action : actions) {
                    try {
                        action.run();
                    } catch (RuntimeException e) {
                        log.warn("an action after the application's commit failed", e);
                    }
                }
            });
        }

        @Override
        public void onRollback() {
            take();
        }
    }

    private Session borrowReader() {
        try {
            Session reader = readers.poll(Math.max(busyTimeoutMillis, 1000), TimeUnit.MILLISECONDS);
            if (reader == null) {
                throw new StorageException("no free reader connection to " + file + " within " + Math.max(busyTimeoutMillis, 1000)
                        + "ms: raise the readers parameter of the " + scheme + ": URL", true);
            }
            if (closed) {
                reader.closeQuietly();
                requireOpen();
            }
            return reader;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a reader connection to " + file, true, e);
        }
    }

    /**
     * For tests: runs {@code PRAGMA text} on the writer connection and returns its first value. Some pragmas hold
     * for one connection only ({@code max_page_count}, {@code foreign_keys}), and only the writer writes.
     */
    String pragmaOnWriter(String text) {
        writeLock.lock();
        try {
            requireOpen();
            return writer.pragma(text);
        } catch (SQLException e) {
            throw errors.translate(e, Action.SETTING_A_PRAGMA);
        } finally {
            writeLock.unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new StorageException(description + " is closed: open the backend again", false);
        }
    }

    @Override
    public void close() {
        close(false);
    }

    /**
     * Closes, and puts the file back in the journal mode it had before this transport switched it to WAL: for an open
     * that fails after the switch (a file whose drover_* tables belong to another application), so that a file Drover
     * refuses is left as it was. Leaving WAL needs the only connection to the file, so the readers close first; when
     * another process has the file open, the switch back fails and is logged.
     */
    public void closeAsFound() {
        close(true);
    }

    private void close(boolean restoreJournal) {
        if (closed) return;
        closed = true;
        if (checkpoints != null) checkpoints.close();
        List<Session> idle = new ArrayList<>();
        readers.drainTo(idle);
        idle.forEach(Session::closeQuietly);
        writeLock.lock();
        try {
            if (restoreJournal) restoreJournalMode();
            writer.closeQuietly();
        } finally {
            writeLock.unlock();
        }
        log.debug("closed {}", description);
    }

    private void restoreJournalMode() {
        if (journalBefore == null || "wal".equalsIgnoreCase(journalBefore) || !journalBefore.matches("[a-zA-Z]+")) return;
        try {
            writer.pragma("journal_mode = " + journalBefore);
        } catch (SQLException e) {
            log.warn("{}: could not put the file back in journal mode {} after a failed open: {}", description, journalBefore, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "JdbcSqlTransport[" + description + "]";
    }

    // ---- one connection and its prepared statements ----

    private static final class Session {
        private final Connection connection;
        /** From a {@link #begin} until a COMMIT or ROLLBACK is known to have ended that transaction. */
        private boolean transactionOpen;
        private final Map<String, Prepared> cache = new LinkedHashMap<>(32, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
                if (size() <= STATEMENT_CACHE_SIZE) return false;
                closeQuietly(eldest.getValue().statement);
                return true;
            }
        };

        Session(Connection connection) {
            this.connection = connection;
        }

        Prepared prepare(String sql) throws SQLException {
            Prepared prepared = cache.get(sql);
            if (prepared == null) {
                prepared = new Prepared(connection.prepareStatement(sql));
                cache.put(sql, prepared);
            }
            return prepared;
        }

        /**
         * Runs a statement that takes no arguments and returns no rows (BEGIN, COMMIT, SAVEPOINT...). After a failure
         * the statement is forgotten: sqlite-jdbc closes it on most errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_ERROR),
         * and a closed one would fail every later use with "statement is not executing".
         */
        void execute(String sql) throws SQLException {
            try {
                prepare(sql).statement.execute();
            } catch (SQLException | RuntimeException e) {
                evict(sql);
                throw e;
            }
        }

        /**
         * Starts a write transaction. If the ROLLBACK after an earlier failure did not run, that transaction is
         * still open: it is rolled back first, or this BEGIN, and every one after it, would fail with "cannot start
         * a transaction within a transaction".
         */
        void begin() throws SQLException {
            if (transactionOpen) {
                try {
                    execute("ROLLBACK");
                } catch (SQLException e) {
                    if (!noTransaction(e)) throw e;
                }
                transactionOpen = false;
            }
            execute("BEGIN IMMEDIATE");
            transactionOpen = true;
        }

        void commit() throws SQLException {
            execute("COMMIT");
            transactionOpen = false;
        }

        /** Runs {@code PRAGMA text} (a pragma name, or "name = value") and returns the first column of its first row, if any. */
        String pragma(String text) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                if (!statement.execute("PRAGMA " + text)) return null;
                try (ResultSet rs = statement.getResultSet()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }

        /**
         * Puts the database in WAL mode (a no-op when it is already) and returns the journal mode now in force. The
         * switch needs an exclusive lock and SQLite reports SQLITE_BUSY at once, without its busy handler, while
         * another connection opens the same new file: so this retries until {@code busyTimeoutMillis} have passed.
         */
        String switchToWal(int busyTimeoutMillis) throws SQLException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(busyTimeoutMillis);
            long pauseMillis = 1;
            while (true) {
                try {
                    return pragma("journal_mode = WAL");
                } catch (SQLException e) {
                    SQLiteErrorCode code = SqliteErrors.primaryCode(e);
                    boolean busy = code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED;
                    if (!busy || System.nanoTime() >= deadline) throw e;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
                    pauseMillis = Math.min(pauseMillis * 2, 50);
                }
            }
        }

        /** Runs the statements, batching runs of the same SQL that return no rows. */
        List<SqlResult> run(List<SqlStatement> statements) throws SQLException {
            List<SqlResult> results = new ArrayList<>(statements.size());
            int i = 0;
            while (i < statements.size()) {
                String sql = statements.get(i).sql();
                int end = i + 1;
                while (end < statements.size() && statements.get(end).sql().equals(sql)) end++;
                Prepared prepared = prepare(sql);
                if (prepared.returnsRows == null) {
                    results.add(runOne(statements.get(i)));
                    i++;
                }
                if (end - i > 1 && Boolean.FALSE.equals(prepared.returnsRows)) {
                    results.addAll(runBatch(prepared, statements.subList(i, end)));
                } else {
                    for (int k = i; k < end; k++) results.add(runOne(statements.get(k)));
                }
                i = end;
            }
            return results;
        }

        SqlResult runOne(SqlStatement statement) throws SQLException {
            Prepared prepared = prepare(statement.sql());
            PreparedStatement ps = prepared.statement;
            try {
                JdbcStatements.bind(ps, statement.args());
                long before = totalChanges();
                boolean hasRows = ps.execute();
                prepared.returnsRows = hasRows;
                if (!hasRows) {
                    ps.clearParameters();
                    return SqlResult.ofChanges(totalChanges() - before);
                }
                List<SqlRow> rows;
                try (ResultSet rs = ps.getResultSet()) {
                    rows = JdbcStatements.readRows(rs);
                }
                ps.clearParameters();
                return new SqlResult(rows, totalChanges() - before);
            } catch (SQLException | RuntimeException e) {
                evict(statement.sql());
                throw e;
            }
        }

        private List<SqlResult> runBatch(Prepared prepared, List<SqlStatement> statements) throws SQLException {
            PreparedStatement ps = prepared.statement;
            try {
                for (SqlStatement statement : statements) {
                    JdbcStatements.bind(ps, statement.args());
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                List<SqlResult> results = new ArrayList<>(counts.length);
                for (int count : counts) results.add(SqlResult.ofChanges(Math.max(count, 0)));
                ps.clearBatch();
                ps.clearParameters();
                return results;
            } catch (SQLException | RuntimeException e) {
                evict(statements.getFirst().sql());
                throw e;
            }
        }

        /**
         * Forgets a statement after a failure. The driver may have closed it, and resetting a closed statement throws
         * an error of its own ("statement is not executing") that would hide the real one, such as SQLITE_READONLY.
         */
        private void evict(String sql) {
            Prepared prepared = cache.remove(sql);
            if (prepared != null) closeQuietly(prepared.statement);
        }

        private long totalChanges() throws SQLException {
            return connection.unwrap(SQLiteConnection.class).getDatabase().total_changes();
        }

        /**
         * Ends the transaction of a failed write. SQLite has often ended it already (a COMMIT on a full disk, some
         * I/O errors, RAISE(ROLLBACK)), and then says "no transaction is active". If the ROLLBACK fails otherwise, the
         * next {@link #begin} tries again.
         */
        void rollback(Exception cause) {
            try {
                execute("ROLLBACK");
                transactionOpen = false;
            } catch (SQLException e) {
                if (noTransaction(e)) transactionOpen = false;
                log.debug("rollback after a failed write did not run: {}", e.getMessage());
                cause.addSuppressed(e);
            }
        }

        private static boolean noTransaction(SQLException e) {
            return e.getMessage() != null && e.getMessage().contains("no transaction is active");
        }

        void closeStatements() {
            for (Prepared prepared : cache.values()) closeQuietly(prepared.statement);
            cache.clear();
        }

        void closeQuietly() {
            closeStatements();
            try {
                connection.close();
            } catch (SQLException e) {
                log.warn("closing a SQLite connection failed: {}", e.getMessage());
            }
        }

        private static void closeQuietly(PreparedStatement statement) {
            try {
                statement.close();
            } catch (SQLException e) {
                log.debug("closing a prepared statement failed: {}", e.getMessage());
            }
        }
    }

    private static final class Prepared {
        final PreparedStatement statement;
        /** Learnt on the first execution: SELECT and RETURNING statements return rows. */
        Boolean returnsRows;

        Prepared(PreparedStatement statement) {
            this.statement = statement;
        }
    }
}
