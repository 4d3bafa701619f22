package dev.drover.pgmq;

import dev.drover.spi.DroverUrl;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The PostgreSQL the tests use: {@code DROVER_TEST_PG_URL}, by default the local server's database {@code test}
 * (127.0.0.1:5432, trust auth). Every test works on queues of its own, so all share the database.
 */
final class PgTestDatabase {
    static final String HOST_PORT_USER = "postgres@127.0.0.1:5432";
    /** Plain-SQL mode on the test database (forced, so a pgmq install in that database does not change what CI tests). */
    static final String URL = Optional.ofNullable(System.getenv("DROVER_TEST_PG_URL")).filter(s -> !s.isBlank())
            .orElse("pgmq://" + HOST_PORT_USER + "/test");

    private PgTestDatabase() {
    }

    static {
        dropOldKitQueues();
    }

    /**
     * Every kit test makes queues of its own (q_ and ten letters, each with a _dlq): drop those more than an hour old,
     * so a machine that runs the tests often does not pile up tables. Queues of other names are never touched.
     */
    private static void dropOldKitQueues() {
        String old = "SELECT queue_name FROM pgmq.meta WHERE queue_name ~ '^q_[a-z]{10}(_dlq)?$' AND created_at < now() - interval '1 hour'";
        try (Connection c = rawConnect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('pgmq.meta') IS NOT NULL")) {
                if (!rs.next() || !rs.getBoolean(1)) return;
            }
            java.util.List<String> names = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery(old)) {
                while (rs.next()) names.add(rs.getString(1));
            }
            for (String name : names) { // matched ^q_[a-z]{10}(_dlq)?$ above: safe as an identifier
                s.execute("DROP TABLE IF EXISTS pgmq.\"q_" + name + "\", pgmq.\"a_" + name + "\"");
                s.execute("DELETE FROM pgmq.meta WHERE queue_name = '" + name + "'");
            }
        } catch (SQLException e) {
            System.err.println("[drover] could not drop old kit queues from the test database: " + e.getMessage());
        }
    }

    /**
     * True when tests must fail rather than skip without a server: {@code .ci/run} sets {@code DROVER_TEST_REQUIRE_SERVERS=true}.
     * A newcomer's {@code ./mvnw verify} on a machine without PostgreSQL skips these tests and says why.
     */
    private static final boolean REQUIRED = "true".equalsIgnoreCase(System.getenv("DROVER_TEST_REQUIRE_SERVERS"));
    private static volatile String unreachable;
    private static volatile boolean checked;

    /** Skips the calling test, saying why, when the test server is unreachable (fails instead when servers are required). */
    static void requireServer() {
        if (!checked) {
            synchronized (PgTestDatabase.class) {
                if (!checked) {
                    try (Connection ignored = rawConnect()) {
                        unreachable = null;
                    } catch (SQLException e) {
                        unreachable = "PostgreSQL tests not run: no server at " + URL + " (" + e.getMessage() + "). Start one on "
                                + "127.0.0.1:5432 with trust auth and a database named test, or set DROVER_TEST_PG_URL; .ci/run does this";
                        System.err.println("[drover] " + unreachable);
                    }
                    checked = true;
                }
            }
        }
        if (unreachable != null) {
            if (REQUIRED) throw new IllegalStateException(unreachable + " (DROVER_TEST_REQUIRE_SERVERS=true)");
            Assumptions.abort(unreachable);
        }
    }

    static String plainUrl() {
        requireServer();
        return URL + (URL.contains("?") ? "&" : "?") + "mode=plain";
    }

    /** The test database's URL with extra parameters. */
    static String url(String params) {
        requireServer();
        return URL + (URL.contains("?") ? "&" : "?") + params;
    }

    /** A JDBC connection to the test database, for what tests check or do behind Drover's back. */
    static Connection connect() throws SQLException {
        requireServer();
        return rawConnect();
    }

    private static Connection rawConnect() throws SQLException {
        return PostgresUrl.connect(URL);
    }

    /** Which installed pgmq version a test wants. */
    enum PgmqVersion {
        /** The newest version the server has. */
        NEWEST,
        /** The oldest version Drover supports (1.5 or later) the server has, when that is not also the newest. */
        OLDEST_SUPPORTED
    }

    private static final java.util.Map<PgmqVersion, Optional<String>> EXTENSION_URLS = new java.util.EnumMap<>(PgmqVersion.class);
    private static final java.util.Map<PgmqVersion, String> EXTENSION_SKIP = new java.util.EnumMap<>(PgmqVersion.class);

    /** An extension-mode URL on the newest pgmq the server has, or skip (saying why). */
    static String extensionUrlOrSkip() {
        return extensionUrlOrSkip(PgmqVersion.NEWEST);
    }

    /**
     * A URL in extension mode: {@code DROVER_TEST_PGMQ_URL} if set (for {@link PgmqVersion#NEWEST}), else a database
     * of its own on the test server, {@code drover_pgmq_<version>}, where {@code CREATE EXTENSION pgmq VERSION ...}
     * is run. Skips the calling test, saying why, when the server has no such version.
     */
    static String extensionUrlOrSkip(PgmqVersion which) {
        Optional<String> url = extensionUrl(which);
        Assumptions.assumeTrue(url.isPresent(), () -> EXTENSION_SKIP.get(which));
        return url.get();
    }

    /** The pgmq extension version of the database an extension-mode URL of {@code which} reaches. */
    static String extensionVersion(PgmqVersion which) {
        String url = extensionUrlOrSkip(which);
        try (Connection c = connect(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'pgmq'")) {
            return rs.next() ? rs.getString(1) : "none";
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDBC connection to the database a Drover URL names. */
    static Connection connect(String droverUrl) throws SQLException {
        return PostgresUrl.connect(droverUrl);
    }

    /**
     * A JDBC connection, as the same user, to another database on the server a Drover URL names: {@code postgres}, or
     * {@code template1} when the URL names {@code postgres}.
     */
    static Connection connectToAnotherDatabase(String droverUrl) throws SQLException {
        PostgresUrl ours = PostgresUrl.parse(DroverUrl.parse(droverUrl));
        String database;
        try (Connection c = ours.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            database = rs.getString(1);
        }
        String other = database.equals("postgres") ? "template1" : "postgres";
        String jdbcUrl = ours.jdbcUrl().substring(0, ours.jdbcUrl().lastIndexOf('/') + 1) + other;
        return new PostgresUrl(jdbcUrl, ours.user(), ours.password(), ours.properties(), other).connect();
    }

    static synchronized Optional<String> extensionUrl(PgmqVersion which) {
        Optional<String> known = EXTENSION_URLS.get(which);
        if (known != null) return known;
        requireServer();
        String given = System.getenv("DROVER_TEST_PGMQ_URL");
        if (which == PgmqVersion.NEWEST && given != null && !given.isBlank()) {
            return remember(which, Optional.of(given + (given.contains("?") ? "&" : "?") + "mode=extension"), null);
        }
        java.util.List<String> versions = availableVersions();
        if (versions.isEmpty()) {
            return remember(which, Optional.empty(), "extension mode not tested: no pgmq 1.5+ extension is available on the test "
                    + "server (no Debian, npm or Maven package ships it; install it from github.com/pgmq/pgmq, or set "
                    + "DROVER_TEST_PGMQ_URL to a database where CREATE EXTENSION pgmq was run)");
        }
        String version = which == PgmqVersion.NEWEST ? versions.getLast() : versions.getFirst();
        if (which == PgmqVersion.OLDEST_SUPPORTED && versions.size() == 1) {
            return remember(which, Optional.empty(), "the oldest supported pgmq is not tested on its own: the server has only pgmq "
                    + version + ", which the extension-mode kit already runs on");
        }
        String database = "drover_pgmq_" + version.replaceAll("[^0-9]", "_");
        try (Connection c = rawConnect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!rs.next()) s.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + database + ": " + e.getMessage(), e);
        }
        String url = "pgmq://" + HOST_PORT_USER + "/" + database;
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pgmq VERSION '" + version + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("pgmq " + version + " is available on the test server but CREATE EXTENSION failed in "
                    + database + ": " + e.getMessage(), e);
        }
        dropOldTestQueues(url, database);
        return remember(which, Optional.of(url + "?mode=extension"), null);
    }

    /**
     * Drops the queues earlier test runs left in a long-lived extension-mode database (older than an hour, so a run
     * going on beside this one keeps its own), a few per transaction: dropping thousands in one statement takes a lock
     * per table and index and runs the server out of lock slots ({@code max_locks_per_transaction}).
     */
    static int dropOldTestQueues(String url, String database) {
        int dropped = 0;
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            while (true) {
                int batch = 0;
                try (ResultSet rs = s.executeQuery("SELECT pgmq.drop_queue(queue_name) FROM (SELECT queue_name FROM pgmq.meta "
                        + "WHERE queue_name ~ '^q_[a-z]{10}(_dlq)?$' AND created_at < now() - interval '1 hour' "
                        + "ORDER BY queue_name LIMIT " + DROP_BATCH + ") old")) {
                    while (rs.next()) batch++;
                }
                dropped += batch;
                if (batch < DROP_BATCH) return dropped;
            }
        } catch (SQLException e) {
            System.err.println("[drover] could not drop old test queues in " + database + " (dropped " + dropped + "; the tests "
                    + "make queues of their own, so they go on): " + e.getMessage());
            return dropped;
        }
    }

    private static final int DROP_BATCH = 20;

    /** The pgmq versions (1.5 and later) the test server can install, oldest first. */
    static java.util.List<String> availableVersions() {
        requireServer();
        java.util.List<String> versions = new java.util.ArrayList<>();
        try (Connection c = rawConnect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM pg_available_extension_versions WHERE name = 'pgmq'")) {
            while (rs.next()) versions.add(rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the test PostgreSQL at " + URL + ": " + e.getMessage(), e);
        }
        versions.removeIf(v -> compareVersions(v, "1.5") < 0);
        versions.sort(PgTestDatabase::compareVersions);
        return versions;
    }

    private static Optional<String> remember(PgmqVersion which, Optional<String> url, String skipReason) {
        EXTENSION_URLS.put(which, url);
        if (skipReason != null) {
            EXTENSION_SKIP.put(which, skipReason);
            System.err.println("[drover] " + skipReason);
        }
        return url;
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : 0;
            int q = i < y.length ? parse(y[i]) : 0;
            if (p != q) return Integer.compare(p, q);
        }
        return 0;
    }

    private static int parse(String part) {
        String digits = part.replaceAll("[^0-9].*$", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }
}
