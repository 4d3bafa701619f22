package dev.drover.workflow;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * The payload of every task of a run (JSON): which workflow, run and node it belongs to, what kind of task it is,
 * and, where the input travels with the task, the input itself.
 *
 * @param element  the element index of an {@link Kind#ELEMENT} task, else -1
 * @param elements the size of the fan-out, for {@link Kind#ELEMENT} and fan-out {@link Kind#GATHER} tasks, else -1
 * @param input    the step's input as JSON, or null when the task reads its inputs from its dependencies' results
 */
record Envelope(String workflow, RunId run, String node, Kind kind, int element, int elements, JsonNode input) {
    static final int VERSION = 1;

    enum Kind {
        /** A step: inputs in, output out. */
        STEP,
        /** One element of a filter or flat-map. */
        ELEMENT,
        /** Gathers the elements' results of a filter or flat-map into the node's output. */
        GATHER,
        /** The cancellation marker: never due, never run. */
        CANCEL
    }

    Envelope {
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(kind, "kind");
    }

    byte[] toJson(JsonMapper mapper) {
        ObjectNode o = mapper.createObjectNode();
        o.put("v", VERSION);
        o.put("workflow", workflow);
        o.put("run", run.value());
        if (node != null) o.put("node", node);
        o.put("kind", kind.name().toLowerCase());
        if (element >= 0) o.put("element", element);
        if (elements >= 0) o.put("elements", elements);
        if (input != null) o.set("input", input);
        return mapper.writeValueAsBytes(o);
    }

    /** @throws IllegalArgumentException when {@code json} is not an envelope this version understands */
    static Envelope parse(JsonMapper mapper, byte[] json) {
        JsonNode o;
        try {
            o = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (o == null || !o.isObject()) throw new IllegalArgumentException("not a JSON object");
        int version = o.path("v").asInt(-1);
        if (version != VERSION) throw new IllegalArgumentException("envelope version " + version + ", expected " + VERSION);
        Kind kind;
        try {
            kind = Kind.valueOf(o.path("kind").asString("").toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown task kind \"" + o.path("kind").asString("") + "\"");
        }
        String workflow = o.path("workflow").asString(null);
        String run = o.path("run").asString(null);
        if (workflow == null || run == null) throw new IllegalArgumentException("no workflow or run");
        String node = o.path("node").asString(null);
        if (kind != Kind.CANCEL && node == null) throw new IllegalArgumentException("no node");
        return new Envelope(workflow, RunId.of(run), node, kind, o.path("element").asInt(-1), o.path("elements").asInt(-1),
                o.has("input") ? o.get("input") : null);
    }
}
