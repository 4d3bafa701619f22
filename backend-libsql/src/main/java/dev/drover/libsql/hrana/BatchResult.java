package dev.drover.libsql.hrana;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Per step of a batch: its result (null when it failed or was skipped) and its error (null unless it failed). */
public record BatchResult(List<HranaResult> results, List<StepError> errors) {
    /** A step's failure as the server reported it. */
    public record StepError(String message, String code) {
    }

    static BatchResult of(JsonNode result, int steps) {
        List<HranaResult> results = new ArrayList<>(steps);
        List<StepError> errors = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            JsonNode r = result.path("step_results").path(i);
            JsonNode e = result.path("step_errors").path(i);
            results.add(r.isObject() ? HranaResult.of(r) : null);
            errors.add(e.isObject() ? new StepError(e.path("message").asString(""), e.path("code").asString("")) : null);
        }
        return new BatchResult(Collections.unmodifiableList(results), Collections.unmodifiableList(errors));
    }

    public boolean succeeded(int step) {
        return results.get(step) != null && errors.get(step) == null;
    }
}
