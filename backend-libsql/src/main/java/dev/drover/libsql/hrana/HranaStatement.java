package dev.drover.libsql.hrana;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** One SQL statement with positional arguments ({@code ?} or {@code ?NNN}); Long, Integer, String, byte[], Double or null. */
public record HranaStatement(String sql, List<Object> args) {
    public HranaStatement {
        Objects.requireNonNull(sql, "sql");
        args = Collections.unmodifiableList(new ArrayList<>(args)); // nulls are SQL NULLs
    }

    public static HranaStatement of(String sql) {
        return new HranaStatement(sql, List.of());
    }

    ObjectNode toJson(JsonMapper json) {
        ObjectNode stmt = json.createObjectNode();
        stmt.put("sql", sql);
        ArrayNode list = stmt.putArray("args");
        for (Object arg : args) list.add(HranaClient.value(json, arg));
        stmt.put("want_rows", true);
        return stmt;
    }
}
