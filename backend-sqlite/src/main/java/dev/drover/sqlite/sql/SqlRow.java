package dev.drover.sqlite.sql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row of a result, values by column name. Values are {@link Long} (every integer), {@link String},
 * {@code byte[]}, {@link Double} or {@code null}; a transport converts what its wire format carries to these.
 */
public final class SqlRow {
    private final Map<String, Object> values;

    private SqlRow(Map<String, Object> values) {
        this.values = values;
    }

    /** A row from column names to values, in column order; integers of any width become {@link Long}. */
    public static SqlRow of(Map<String, ?> values) {
        Map<String, Object> copy = new LinkedHashMap<>(values.size() * 2);
        values.forEach((name, value) -> copy.put(name, value instanceof Integer || value instanceof Short || value instanceof Byte
                ? Long.valueOf(((Number) value).longValue()) : value));
        return new SqlRow(Collections.unmodifiableMap(copy));
    }

    public Map<String, Object> values() {
        return values;
    }

    /** The raw value, or null. */
    public Object get(String column) {
        if (!values.containsKey(column)) {
            throw new IllegalArgumentException("no column \"" + column + "\" in this row; its columns are " + values.keySet());
        }
        return values.get(column);
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
        return o instanceof SqlRow other && Objects.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "SqlRow" + values.keySet();
    }
}
