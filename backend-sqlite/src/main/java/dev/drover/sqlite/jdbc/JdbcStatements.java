package dev.drover.sqlite.jdbc;

import dev.drover.sqlite.sql.SqlRow;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link dev.drover.sqlite.sql.SqlStatement} meets JDBC: its arguments bound, its rows read back as
 * {@link SqlRow}s. Shared by every sqlite-jdbc connection Drover reads or writes with, so all of them see the same types.
 */
public final class JdbcStatements {
    private JdbcStatements() {
    }

    /** Binds Long, Integer, String, byte[] or null arguments to the statement's positions. */
    public static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            int index = i + 1;
            switch (arg) {
                case null -> ps.setNull(index, Types.NULL);
                case Long l -> ps.setLong(index, l);
                case Integer n -> ps.setInt(index, n);
                case String s -> ps.setString(index, s);
                case byte[] b -> ps.setBytes(index, b);
                default -> throw new IllegalArgumentException("cannot bind a " + arg.getClass().getName());
            }
        }
    }

    /** The rows, by column label, with {@code getObject} values (integers widened to Long by {@link SqlRow.Columns#row}). */
    public static List<SqlRow> readRows(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int columns = meta.getColumnCount();
        String[] names = new String[columns];
        for (int c = 0; c < columns; c++) names[c] = meta.getColumnLabel(c + 1);
        SqlRow.Columns shared = SqlRow.Columns.of(names);
        List<SqlRow> rows = new ArrayList<>();
        while (rs.next()) {
            Object[] values = new Object[columns];
            for (int c = 0; c < columns; c++) values[c] = rs.getObject(c + 1);
            rows.add(shared.row(values));
        }
        return rows;
    }
}
