package dev.drover.pgmq;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
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
    private static final String EXTENSION_DATABASE = "drover_pgmq_extension";
    private static volatile Optional<String> extensionUrl;
    private static volatile String extensionSkipReason;

    private PgTestDatabase() {
    }

    static String plainUrl() {
        return URL + (URL.contains("?") ? "&" : "?") + "mode=plain";
    }

    /** The test database's URL with extra parameters. */
    static String url(String params) {
        return URL + (URL.contains("?") ? "&" : "?") + params;
    }

    /** A JDBC connection to the test database, for what tests check or do behind Drover's back. */
    static Connection connect() throws SQLException {
        PostgresUrl pg = PostgresUrl.parse(dev.drover.spi.DroverUrl.parse(URL));
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", pg.user());
        if (pg.password() != null) props.setProperty("password", pg.password());
        return DriverManager.getConnection(pg.jdbcUrl(), props);
    }

    /**
     * A URL in extension mode: {@code DROVER_TEST_PGMQ_URL} if set, else a database of its own on the test server
     * where {@code CREATE EXTENSION pgmq} is run, when the server has the extension available. Skips the calling
     * test, saying why, when there is none.
     */
    static String extensionUrlOrSkip() {
        Optional<String> url = extensionUrl();
        Assumptions.assumeTrue(url.isPresent(), () -> extensionSkipReason);
        return url.get();
    }

    static synchronized Optional<String> extensionUrl() {
        if (extensionUrl != null) return extensionUrl;
        String given = System.getenv("DROVER_TEST_PGMQ_URL");
        if (given != null && !given.isBlank()) {
            extensionUrl = Optional.of(given + (given.contains("?") ? "&" : "?") + "mode=extension");
            return extensionUrl;
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_available_extensions WHERE name = 'pgmq'")) {
                if (!rs.next()) {
                    extensionSkipReason = "extension mode not tested: the pgmq extension is not available on the test server "
                            + "(no Debian, npm or Maven package ships it; install it from github.com/pgmq/pgmq, or set DROVER_TEST_PGMQ_URL "
                            + "to a database where CREATE EXTENSION pgmq was run)";
                    System.err.println("[drover] " + extensionSkipReason);
                    extensionUrl = Optional.empty();
                    return extensionUrl;
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + EXTENSION_DATABASE + "'")) {
                if (!rs.next()) s.execute("CREATE DATABASE " + EXTENSION_DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the test PostgreSQL at " + URL + ": " + e.getMessage(), e);
        }
        String url = "pgmq://" + HOST_PORT_USER + "/" + EXTENSION_DATABASE;
        PostgresUrl pg = PostgresUrl.parse(dev.drover.spi.DroverUrl.parse(url));
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), null); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pgmq");
        } catch (SQLException e) {
            throw new IllegalStateException("pgmq is available on the test server but CREATE EXTENSION pgmq failed in "
                    + EXTENSION_DATABASE + ": " + e.getMessage(), e);
        }
        extensionUrl = Optional.of(url + "?mode=extension");
        return extensionUrl;
    }
}
