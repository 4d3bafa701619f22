package dev.drover.libsql.hrana;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one statement gave back: rows by column name, and the affected-row count the server reported (tursodb
 * always reports 0, so callers that need the count ask {@code SELECT changes()} in the same batch).
 */
public record HranaResult(List<Map<String, Object>> rows, long affectedRowCount) {
    static HranaResult of(JsonNode result) {
        List<String> names = new ArrayList<>();
        for (JsonNode col : result.path("cols")) names.add(col.path("name").asString(""));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode row : result.path("rows")) {
            Map<String, Object> values = new LinkedHashMap<>(names.size() * 2);
            for (int i = 0; i < names.size(); i++) values.put(names.get(i), HranaClient.value(row.path(i)));
            rows.add(Collections.unmodifiableMap(values));
        }
        return new HranaResult(Collections.unmodifiableList(rows), result.path("affected_row_count").asLong(0));
    }
}
