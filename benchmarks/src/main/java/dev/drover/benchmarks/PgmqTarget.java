package dev.drover.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Drover on PostgreSQL through the PGMQ backend, in plain mode (on {@code --pg}'s database) or extension mode (in a
 * database of its own, {@link #EXTENSION_DATABASE} on the same server, made with {@code CREATE EXTENSION pgmq} if
 * missing; skipped where the server has no pgmq extension to install). Drover's API has no way to remove a queue,
 * so after each run the harness drops the run's PGMQ queues itself over JDBC: {@code pgmq.drop_queue} in extension
 * mode, {@code DROP TABLE} and the {@code pgmq.meta} row in plain mode.
 */
public final class PgmqTarget extends DroverTarget {
    static final String EXTENSION_DATABASE = "drover_bench_ext";

    private final PgUrl given;
    private final PgUrl pg;
    private final boolean extension;

    /** @param given the server and database from {@code --pg}; extension mode uses {@link #EXTENSION_DATABASE} there instead */
    PgmqTarget(String id, PgUrl given, boolean extension) {
        super(id);
        this.given = given;
        this.extension = extension;
        this.pg = extension ? given.withDatabase(EXTENSION_DATABASE) : given;
    }

    @Override
    public String summary() {
        return "Drover PGMQ, " + (extension ? "extension" : "plain") + " mode, pgmq://" + pg.describe() + "?mode="
                + mode() + " (fresh queues per run, dropped after it)";
    }

    /**
     * The million scenario is not run by default on PostgreSQL: the heap target it checks is the worker's, which the
     * SQLite run shows, and a million-row drain on a server without autovacuum (as here) takes most of the hour the
     * whole run may take. {@code --tasks N} runs it.
     */
    @Override
    public Integer cap(String scenario) {
        return scenario.equals("million") ? 0 : null;
    }

    @Override
    public String prepare() throws SQLException {
        if (!extension) {
            try (Connection c = connect(pg)) {
                return null;
            }
        }
        try (Connection c = connect(given)) {
            if (!exists(c, "SELECT 1 FROM pg_available_extensions WHERE name = 'pgmq'")) {
                return "the pgmq extension is not available on " + given.host() + ":" + given.port()
                        + " (pg_available_extensions has no pgmq; install it on the server to run this target)";
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = '" + EXTENSION_DATABASE + "'")) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + EXTENSION_DATABASE);
                }
            }
        }
        try (Connection c = connect(pg); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pgmq");
        }
        return null;
    }

    @Override
    public DroverSession open() throws Exception {
        return open(pg.droverUrl(mode()), this::dropQueues);
    }

    private String mode() {
        return extension ? "extension" : "plain";
    }

    /** Drops each run queue and its dead-letter queue; a failure is printed, since the run itself went fine. */
    private void dropQueues(List<String> queues) {
        if (queues.isEmpty()) return;
        try (Connection c = connect(pg)) {
            for (String queue : queues) {
                for (String name : List.of(queue, queue + "_dlq")) {
                    if (extension) {
                        try (PreparedStatement ps = c.prepareStatement(
                                "SELECT pgmq.drop_queue(queue_name) FROM pgmq.meta WHERE queue_name = ?")) {
                            ps.setString(1, name);
                            ps.execute();
                        }
                    } else {
                        try (Statement s = c.createStatement()) {
                            s.execute("DROP TABLE IF EXISTS pgmq.\"q_" + name + "\", pgmq.\"a_" + name + "\"");
                        }
                        try (PreparedStatement ps = c.prepareStatement("DELETE FROM pgmq.meta WHERE queue_name = ?")) {
                            ps.setString(1, name);
                            ps.execute();
                        }
                    }
                }
            }
        } catch (SQLException e) {
            System.err.println("bench: could not drop the PGMQ queues " + queues + " of this run on " + pg + ": " + e.getMessage());
        }
    }

    private static Connection connect(PgUrl url) throws SQLException {
        try {
            return url.connect();
        } catch (SQLException e) {
            throw new SQLException("cannot connect to PostgreSQL at " + url + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }

    private static boolean exists(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next();
        }
    }
}
