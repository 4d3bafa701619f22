package dev.drover.benchmarks.peers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/** What the peers share: a PostgreSQL schema per run, the HikariCP pools, the libraries' versions. */
final class PeerSupport {
    /**
     * Connections a pool holds beyond one per worker thread: the library's own polling, heartbeat and housekeeping
     * threads take connections too, and a worker that finds the pool empty waits, which would measure the pool.
     */
    static final int POOL_OVERHEAD = 4;
    /** The pool used before the workers start (pushing is one thread's batched inserts). */
    static final int PUSH_POOL = 4;
    /** A cap so a large --concurrency does not exceed PostgreSQL's default max_connections (100). */
    static final int MAX_PG_POOL = 80;

    private PeerSupport() {
    }

    /** A new schema {@code prefix_<8 hex digits>}: its own per open, so concurrent runs on one database do not meet. */
    static String createSchema(String jdbcUrl, String prefix) throws SQLException {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        String schema = prefix + "_" + HexFormat.of().formatHex(random);
        execute(jdbcUrl, "CREATE SCHEMA " + schema);
        return schema;
    }

    static void dropSchema(String jdbcUrl, String schema) throws SQLException {
        execute(jdbcUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    static void execute(String jdbcUrl, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** A PostgreSQL pool of {@link #PUSH_POOL} connections; {@link #resize} it when the workers start. */
    static HikariDataSource postgresPool(String jdbcUrl, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName(name);
        config.setMaximumPoolSize(PUSH_POOL);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    /** One connection per worker thread plus {@link #POOL_OVERHEAD}, at most {@link #MAX_PG_POOL}. */
    static int postgresPoolSize(int threads) {
        return Math.min(threads + POOL_OVERHEAD, MAX_PG_POOL);
    }

    static void resize(HikariDataSource pool, int size) {
        pool.getHikariConfigMXBean().setMaximumPoolSize(size);
    }

    /** The version in a jar's Maven metadata, else its manifest, else "?". */
    static String version(Class<?> type, String groupId, String artifactId) {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = type.getResourceAsStream(resource)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) return v;
            }
        } catch (IOException ignored) {
            // fall through to the manifest
        }
        String v = type.getPackage().getImplementationVersion();
        return v == null ? "?" : v;
    }

    static void require(boolean condition, String message) {
        if (!condition) throw new IllegalStateException(message);
    }
}
