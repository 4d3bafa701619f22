package dev.drover.sqlite.sql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of a result, values by column name. Values are {@link Long} (every integer), {@link String},
 * {@code byte[]}, {@link Double} or {@code null}; a transport converts what its wire format carries to these.
 */
public final class SqlRow {
    private final Columns columns;
    private final Object[] values;

    private SqlRow(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    /**
     * The column names of a result, shared by all its rows, so a row is one array of values rather than a map of its
     * own (a claim reads dozens of rows of eighteen columns per round trip).
     */
    public static final class Columns {
        private final Map<String, Integer> index;

        private Columns(Map<String, Integer> index) {
            this.index = index;
        }

        public static Columns of(String... names) {
            Map<String, Integer> index = new LinkedHashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) index.putIfAbsent(names[i], i);
            return new Columns(Collections.unmodifiableMap(index));
        }

        /**
         * A row of these columns; {@code values} is kept, not copied, and must not change afterwards. Integers of any
         * width become {@link Long}.
         */
        public SqlRow row(Object... values) {
            if (values.length < index.size()) {
                throw new IllegalArgumentException(values.length + " values for " + index.size() + " columns " + index.keySet());
            }
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof Integer || values[i] instanceof Short || values[i] instanceof Byte) {
                    values[i] = ((Number) values[i]).longValue();
                }
            }
            return new SqlRow(this, values);
        }
    }

    /** A row from column names to values, in column order; integers of any width become {@link Long}. */
    public static SqlRow of(Map<String, ?> values) {
        return Columns.of(values.keySet().toArray(String[]::new)).row(values.values().toArray());
    }

    /** The values by column name, in column order. */
    public Map<String, Object> values() {
        Map<String, Object> map = new LinkedHashMap<>(columns.index.size() * 2);
        columns.index.forEach((name, i) -> map.put(name, values[i]));
        return Collections.unmodifiableMap(map);
    }

    /** The raw value, or null. */
    public Object get(String column) {
        Integer i = columns.index.get(column);
        if (i == null) {
            throw new IllegalArgumentException("no column \"" + column + "\" in this row; its columns are " + columns.index.keySet());
        }
        return values[i];
    }

    public String getString(String column) {
        Object value = get(column);
        if (value == null || value instanceof String) return (String) value;
        if (value instanceof byte[]) throw mismatch(column, value, "text");
        return value.toString();
    }

    /** The integer value, or null when the column is NULL. */
    public Long getLong(String column) {
        Object value = get(column);
        if (value == null) return null;
        if (value instanceof Long l) return l;
        if (value instanceof Number n) return n.longValue();
        if (value instanceof String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw mismatch(column, value, "an integer");
            }
        }
        throw mismatch(column, value, "an integer");
    }

    /** The integer value; fails when the column is NULL. */
    public int getInt(String column) {
        Long value = getLong(column);
        if (value == null) throw new IllegalStateException("column \"" + column + "\" is NULL where an integer was expected");
        return Math.toIntExact(value);
    }

    public byte[] getBytes(String column) {
        Object value = get(column);
        if (value == null || value instanceof byte[]) return (byte[]) value;
        throw mismatch(column, value, "a blob");
    }

    private static IllegalStateException mismatch(String column, Object value, String expected) {
        return new IllegalStateException("column \"" + column + "\" holds a " + value.getClass().getSimpleName() + " where " + expected + " was expected");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SqlRow other && values().equals(other.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    @Override
    public String toString() {
        return "SqlRow" + columns.index.keySet();
    }
}
