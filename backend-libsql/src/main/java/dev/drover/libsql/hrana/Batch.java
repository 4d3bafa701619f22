package dev.drover.libsql.hrana;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A Hrana batch: steps that run in order on one stream, each only if its condition holds. Conditions are built
 * with {@link #ok}, {@link #error}, {@link #not} and {@link #and}; a step added without one always runs.
 */
public final class Batch {
    private final List<HranaStatement> statements = new ArrayList<>();
    private final List<Condition> conditions = new ArrayList<>();

    /** A step's condition. */
    public sealed interface Condition {
        ObjectNode toJson(JsonMapper json);
    }

    private record Ok(int step) implements Condition {
        public ObjectNode toJson(JsonMapper json) {
            return json.createObjectNode().put("type", "ok").put("step", step);
        }
    }

    private record Error(int step) implements Condition {
        public ObjectNode toJson(JsonMapper json) {
            return json.createObjectNode().put("type", "error").put("step", step);
        }
    }

    private record Not(Condition cond) implements Condition {
        public ObjectNode toJson(JsonMapper json) {
            ObjectNode n = json.createObjectNode().put("type", "not");
            n.set("cond", cond.toJson(json));
            return n;
        }
    }

    private record And(List<Condition> conds) implements Condition {
        public ObjectNode toJson(JsonMapper json) {
            ObjectNode n = json.createObjectNode().put("type", "and");
            ArrayNode list = n.putArray("conds");
            conds.forEach(c -> list.add(c.toJson(json)));
            return n;
        }
    }

    private record IsAutocommit() implements Condition {
        public ObjectNode toJson(JsonMapper json) {
            return json.createObjectNode().put("type", "is_autocommit");
        }
    }

    /** The stream is not inside a transaction (Hrana 3; tursodb evaluates it too). */
    public static Condition isAutocommit() {
        return new IsAutocommit();
    }

    /** Step {@code step} ran and succeeded. */
    public static Condition ok(int step) {
        return new Ok(step);
    }

    /** Step {@code step} ran and failed. */
    public static Condition error(int step) {
        return new Error(step);
    }

    public static Condition not(Condition c) {
        return new Not(c);
    }

    public static Condition and(Condition... conds) {
        return new And(List.of(conds));
    }

    /** Adds a step; returns its index. */
    public int add(HranaStatement statement, Condition condition) {
        statements.add(statement);
        conditions.add(condition);
        return statements.size() - 1;
    }

    public int size() {
        return statements.size();
    }

    public HranaStatement statement(int step) {
        return statements.get(step);
    }

    ObjectNode toJson(JsonMapper json) {
        ObjectNode batch = json.createObjectNode();
        ArrayNode steps = batch.putArray("steps");
        for (int i = 0; i < statements.size(); i++) {
            ObjectNode step = steps.addObject();
            if (conditions.get(i) != null) step.set("condition", conditions.get(i).toJson(json));
            step.set("stmt", statements.get(i).toJson(json));
        }
        return batch;
    }
}
