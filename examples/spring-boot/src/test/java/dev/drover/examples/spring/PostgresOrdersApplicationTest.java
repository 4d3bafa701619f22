package dev.drover.examples.spring;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The example application on the local PostgreSQL (127.0.0.1:5432, trust auth, database test): the orders table and
 * Drover's PGMQ queues in one database. Skipped, saying why, without a server; a failure where
 * {@code DROVER_TEST_REQUIRE_SERVERS=true} (as {@code .ci/run} sets).
 */
class PostgresOrdersApplicationTest extends OrdersApplicationContract {
    static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/test";

    @BeforeAll
    static void server() {
        try (Connection ignored = DriverManager.getConnection(JDBC, "postgres", "")) {
            // reachable
        } catch (SQLException e) {
            String why = "PostgreSQL example tests not run: no server at " + JDBC + " (" + e.getMessage() + "); .ci/run starts one";
            if ("true".equalsIgnoreCase(System.getenv("DROVER_TEST_REQUIRE_SERVERS"))) throw new IllegalStateException(why);
            Assumptions.abort(why);
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> JDBC);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("drover.url", () -> "pgmq://postgres@127.0.0.1:5432/test?mode=plain");
    }
}
