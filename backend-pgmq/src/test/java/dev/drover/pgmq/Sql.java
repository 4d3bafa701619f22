package dev.drover.pgmq;

import dev.drover.api.QueueName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JDBC on the database behind a Drover URL, for what the tests read or do behind Drover's back, as another
 * PGMQ client or a DBA would. Every call opens and closes a connection of its own.
 */
final class Sql {
    private Sql() {
    }

    /** A JDBC connection to the database {@code droverUrl} names (its password, if any, included). */
    static Connection connect(String droverUrl) throws SQLException {
        return PostgresUrl.connect(droverUrl);
    }

    /** Every row of {@code sql}, each a map of column label to value, in order. */
    static List<Map<String, Object>> rows(String droverUrl, String sql, Object... params) throws SQLException {
        try (Connection c = connect(droverUrl); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> out = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) row.put(meta.getColumnLabel(i), rs.getObject(i));
                    out.add(row);
                }
                return out;
            }
        }
    }

    /** The first column of the only row of {@code sql}, or null when there is no row. */
    static Object value(String droverUrl, String sql, Object... params) throws SQLException {
        List<Map<String, Object>> rows = rows(droverUrl, sql, params);
        if (rows.size() > 1) throw new AssertionError("expected at most one row from " + sql + ", got " + rows);
        return rows.isEmpty() ? null : rows.getFirst().values().iterator().next();
    }

    static long count(String droverUrl, String sql, Object... params) throws SQLException {
        return ((Number) value(droverUrl, sql, params)).longValue();
    }

    /** Runs a statement that returns no rows. */
    static void execute(String droverUrl, String sql, Object... params) throws SQLException {
        try (Connection c = connect(droverUrl); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            ps.execute();
        }
    }

    /** True when the table {@code pgmq."<table>"} exists. */
    static boolean tableExists(String droverUrl, String table) throws SQLException {
        return value(droverUrl, "SELECT to_regclass(?) IS NOT NULL", "pgmq.\"" + table + "\"").equals(Boolean.TRUE);
    }

    /** {@code pgmq."q_<queue>"}. */
    static String q(QueueName queue) {
        return "pgmq.\"q_" + queue.value() + "\"";
    }

    /** {@code pgmq."a_<queue>"}. */
    static String a(QueueName queue) {
        return "pgmq.\"a_" + queue.value() + "\"";
    }

    /** {@code pgmq."q_<queue>_dlq"}: the dead-letter queue's messages. */
    static String dlq(QueueName queue) {
        return "pgmq.\"q_" + queue.value() + "_dlq\"";
    }
}
