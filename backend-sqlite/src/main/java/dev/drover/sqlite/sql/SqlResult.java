package dev.drover.sqlite.sql;

import java.util.List;
import java.util.Objects;

/**
 * What one statement gave back.
 *
 * @param rows the rows of a statement that returns rows (a SELECT, or a write with {@code RETURNING}); empty otherwise
 * @param changes rows inserted, updated or deleted by the statement itself (for {@code ... RETURNING}, the rows it changed); 0 for a SELECT
 */
public record SqlResult(List<SqlRow> rows, long changes) {
    public SqlResult {
        rows = List.copyOf(Objects.requireNonNull(rows, "rows"));
    }

    public static SqlResult ofChanges(long changes) {
        return new SqlResult(List.of(), changes);
    }
}
