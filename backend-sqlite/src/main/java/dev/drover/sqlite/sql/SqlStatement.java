package dev.drover.sqlite.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One SQL statement and its positional arguments ({@code ?} or {@code ?NNN}). Arguments are {@link Long},
 * {@link Integer}, {@link String}, {@code byte[]} or {@code null}: the types every transport (JDBC, Hrana over
 * HTTP) can carry without loss.
 */
public record SqlStatement(String sql, List<Object> args) {
    public SqlStatement {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(args, "args");
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            if (arg != null && !(arg instanceof Long) && !(arg instanceof Integer) && !(arg instanceof String) && !(arg instanceof byte[])) {
                throw new IllegalArgumentException("argument " + (i + 1) + " of SQL statement is a " + arg.getClass().getName()
                        + ": use Long, Integer, String, byte[] or null");
            }
        }
        args = Collections.unmodifiableList(new ArrayList<>(args)); // List.copyOf refuses the nulls SQL needs
    }

    public static SqlStatement of(String sql, Object... args) {
        List<Object> list = new ArrayList<>(args.length);
        Collections.addAll(list, args);
        return new SqlStatement(sql, list);
    }

    @Override
    public String toString() {
        return "SqlStatement[" + sql.strip().replaceAll("\\s+", " ") + " with " + args.size() + " argument(s)]";
    }
}
