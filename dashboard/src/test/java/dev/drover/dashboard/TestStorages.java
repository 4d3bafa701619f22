package dev.drover.dashboard;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The storages the dashboard is tested on: a SQLite file, and PostgreSQL (PGMQ, plain mode). On PostgreSQL the tests
 * use a database of their own, {@code drover_dashboard}, made afresh per run, so the overview shows only their
 * queues; {@code DROVER_TEST_PG_URL} points them at another database instead. Without a server the PGMQ tests are
 * skipped, saying why, or fail where {@code DROVER_TEST_REQUIRE_SERVERS=true} (as {@code .ci/run} sets).
 */
final class TestStorages {
    private static final String SERVER = "127.0.0.1:5432";
    private static volatile String pgUrl;

    private TestStorages() {
    }

    static String sqlite(Path dir) {
        return "sqlite:" + dir.resolve("dashboard.db");
    }

    static synchronized String pgmq() {
        if (pgUrl != null) return pgUrl;
        Optional<String> given = Optional.ofNullable(System.getenv("DROVER_TEST_PG_URL")).filter(s -> !s.isBlank());
        if (given.isPresent()) {
            pgUrl = given.get() + (given.get().contains("?") ? "&" : "?") + "mode=plain";
            return pgUrl;
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + SERVER + "/test", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS drover_dashboard WITH (FORCE)");
            s.execute("CREATE DATABASE drover_dashboard");
        } catch (SQLException e) {
            String why = "PostgreSQL dashboard tests not run: no server at " + SERVER + " with trust auth (" + e.getMessage()
                    + "). Start one with a database named test, or set DROVER_TEST_PG_URL; .ci/run does this";
            if ("true".equalsIgnoreCase(System.getenv("DROVER_TEST_REQUIRE_SERVERS"))) throw new IllegalStateException(why);
            Assumptions.abort(why);
        }
        pgUrl = "pgmq://postgres@" + SERVER + "/drover_dashboard?mode=plain";
        return pgUrl;
    }
}
