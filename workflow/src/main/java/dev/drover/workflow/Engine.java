package dev.drover.workflow;

import dev.drover.api.Capability;
import dev.drover.api.DoNotRetryException;
import dev.drover.api.NewTask;
import dev.drover.api.StorageException;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.spi.Backend;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the client and the step worker share for one workflow on one backend: the JSON of inputs and outputs, the
 * tasks a run's start and a step's completion push, and where a step reads the outputs it needs.
 * <p>
 * On a backend with {@link Capability#FOLLOW_UPS}, a step's output is its task's result, and its successors are
 * follow-ups of its completion, pushed in the same transaction. Without it, the output is also written as an output
 * record (a never-due task) before the successors are pushed, idempotently, and steps read outputs from those records
 * ({@link Fallback}).
 */
final class Engine {
    /** The most elements one filter or flat-map fans out into. Each element's completion awaits all of them. */
    static final int MAX_ELEMENTS = 10_000;
    static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    static final String CODEC = "json";
    /** Far enough to never come due, near enough for every backend's timestamp type. */
    static final Duration NEVER = Duration.ofDays(365L * 200);

    final Backend backend;
    final Workflow<?, ?> workflow;
    final JsonMapper mapper;
    final boolean followUps;

    Engine(Backend backend, Workflow<?, ?> workflow, JsonMapper mapper) {
        this.backend = backend;
        this.workflow = workflow;
        this.mapper = mapper;
        this.followUps = backend.capabilities().contains(Capability.FOLLOW_UPS);
    }

    // ---- JSON ----

    JsonNode tree(Object value) {
        if (value == null) return JsonNodeFactory.instance.nullNode();
        JsonNode tree = mapper.valueToTree(value);
        return tree == null ? JsonNodeFactory.instance.nullNode() : tree;
    }

    JsonNode tree(byte[] json) {
        return mapper.readTree(json);
    }

    byte[] bytes(JsonNode tree) {
        return mapper.writeValueAsBytes(tree);
    }

    Object decode(JsonNode json, JavaType type, String what) {
        try {
            return mapper.treeToValue(json, type);
        } catch (JacksonException e) {
            throw new DoNotRetryException("cannot read " + what + " as " + Types.describe(type) + ": " + e.getOriginalMessage(), e);
        }
    }

    // ---- the tasks of a run ----

    /** A task to push after a completion: when every task of {@code awaiting} is DONE (empty: at once). */
    record Successor(NewTask task, Set<TaskId> awaiting) {
    }

    /** The tasks a run starts with: the entry nodes' tasks, each given the run's input. */
    List<NewTask> entryTasks(RunId run, JsonNode input, Instant now) {
        List<NewTask> tasks = new ArrayList<>();
        for (NodeDef node : workflow.entries()) {
            for (Successor s : tasksOf(run, node, null, input, now)) tasks.add(s.task());
        }
        return tasks;
    }

    /** What the completion of {@code node}'s step (or gather) task pushes, given its output. */
    List<Successor> successorsOf(RunId run, NodeDef node, JsonNode output, Instant now) {
        List<Successor> all = new ArrayList<>();
        for (NodeDef next : workflow.dependentsOf(node.name())) all.addAll(tasksOf(run, next, node, output, now));
        return all;
    }

    /** What the completion of one element task of fan-out {@code node} pushes: the gather, once every element is done. */
    Successor gatherAfterElements(RunId run, NodeDef node, int elements, Instant now) {
        Set<TaskId> all = new HashSet<>();
        for (int i = 0; i < elements; i++) all.add(RunIds.element(run, node.name(), i));
        return new Successor(gatherTask(run, node, elements, now), all);
    }

    /**
     * The tasks that start {@code node} once {@code from} (null: the run's start) produced {@code output}: its step
     * task, or for a fan-out one task per element (or the gather at once for an empty collection).
     */
    private List<Successor> tasksOf(RunId run, NodeDef node, NodeDef from, JsonNode output, Instant now) {
        Instant due = now.plus(node.delay());
        if (node.kind().fansOut()) {
            String source = from == null ? "the run's input" : "the output of '" + from.name() + "'";
            if (output == null || !output.isArray()) {
                throw new DoNotRetryException("node '" + node.name() + "' of workflow '" + workflow.name() + "' fans out over "
                        + source + ", which is " + (output == null || output.isNull() ? "null" : "not a JSON array") + ", not a collection");
            }
            int n = output.size();
            if (n > MAX_ELEMENTS) {
                throw new DoNotRetryException("node '" + node.name() + "' of workflow '" + workflow.name() + "' would fan out over "
                        + n + " elements of " + source + "; the limit is " + MAX_ELEMENTS + ": split the collection into batches");
            }
            if (n == 0) return List.of(new Successor(gatherTask(run, node, 0, due), Set.of()));
            List<Successor> elements = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Envelope e = new Envelope(workflow.name(), run, node.name(), Envelope.Kind.ELEMENT, i, n, output.get(i));
                elements.add(new Successor(task(RunIds.element(run, node.name(), i), e, due, node), Set.of()));
            }
            return elements;
        }
        TaskId id = RunIds.step(run, node.name());
        if (node.deps().size() <= 1) {
            // One input: it travels with the task.
            return List.of(new Successor(task(id, new Envelope(workflow.name(), run, node.name(), Envelope.Kind.STEP, -1, -1, output), due, node), Set.of()));
        }
        // A join: pushed once every dependency is done; it reads their outputs then.
        Set<TaskId> awaiting = new HashSet<>();
        for (String dep : node.deps()) awaiting.add(RunIds.step(run, dep));
        return List.of(new Successor(task(id, new Envelope(workflow.name(), run, node.name(), Envelope.Kind.STEP, -1, -1, null), due, node), awaiting));
    }

    private NewTask gatherTask(RunId run, NodeDef node, int elements, Instant due) {
        Envelope e = new Envelope(workflow.name(), run, node.name(), Envelope.Kind.GATHER, -1, elements, null);
        return task(RunIds.step(run, node.name()), e, due, node);
    }

    NewTask task(TaskId id, Envelope envelope, Instant runAt, NodeDef node) {
        Map<String, String> metadata = node == null
                ? Map.of("workflow", workflow.name(), "run", envelope.run().value())
                : Map.of("workflow", workflow.name(), "run", envelope.run().value(), "node", node.name());
        int attempts = node == null ? 1 : node.policy().maxAttempts();
        return NewTask.builder(workflow.queue(), envelope.toJson(mapper), CODEC).id(id).runAt(runAt).maxAttempts(attempts).metadata(metadata).build();
    }

    NewTask markerTask(RunId run, Instant now) {
        return task(RunIds.marker(run), new Envelope(workflow.name(), run, null, Envelope.Kind.CANCEL, -1, -1, null), now.plus(NEVER), null);
    }

    /** Pushes {@code task} unless its id is stored; a concurrent push of the same id is no failure. */
    void pushIfAbsent(NewTask task) {
        if (get(task.id()).isPresent()) return;
        try {
            backend.push(List.of(task));
        } catch (RuntimeException e) {
            if (get(task.id()).isEmpty()) throw e; // a real failure, not a concurrent push of the same id
        }
    }

    // ---- reading outputs ----

    Optional<TaskRecord> get(TaskId id) {
        return backend.get(workflow.queue(), id);
    }

    boolean cancelled(RunId run) {
        return get(RunIds.marker(run)).isPresent();
    }

    /** The output of {@code node}'s step (or gather) task, which is done. */
    JsonNode outputOf(RunId run, String node) {
        TaskId id = RunIds.step(run, node);
        byte[] json = followUps
                ? get(id).filter(t -> t.result() != null).map(TaskRecord::result).orElse(null)
                : get(RunIds.outputRecord(id)).map(TaskRecord::payload).orElse(null);
        if (json == null) {
            throw new StorageException("the output of step '" + node + "' of run " + run + " (task " + id + ") is not stored yet", true);
        }
        return tree(json);
    }

    /** The outputs of the {@code n} elements of {@code node}, in element order, read in pages of the run's id range. */
    List<JsonNode> elementOutputs(RunId run, String node, int n) {
        JsonNode[] outputs = new JsonNode[n];
        String prefix = RunIds.elementPrefix(run, node);
        int found = 0;
        TaskId after = TaskId.of(prefix);
        while (true) {
            List<TaskRecord> page = backend.list(TaskQuery.of(workflow.queue()).after(after).limit(TaskQuery.MAX_LIMIT));
            boolean past = page.isEmpty();
            for (TaskRecord t : page) {
                String id = t.id().value();
                if (!id.startsWith(prefix)) {
                    past = true;
                    break;
                }
                after = t.id();
                RunIds.Parsed parsed;
                byte[] json;
                if (followUps) {
                    parsed = RunIds.parse(run, t.id());
                    json = t.result();
                } else {
                    if (!id.endsWith(RunIds.OUTPUT_SUFFIX)) continue;
                    parsed = RunIds.parse(run, TaskId.of(id.substring(0, id.length() - RunIds.OUTPUT_SUFFIX.length())));
                    json = t.payload();
                }
                if (parsed.kind() != RunIds.Parsed.Kind.ELEMENT || parsed.element() >= n || json == null) continue;
                if (outputs[parsed.element()] == null) found++;
                outputs[parsed.element()] = tree(json);
            }
            if (past || page.size() < TaskQuery.MAX_LIMIT) break;
        }
        if (found < n) {
            throw new StorageException("only " + found + " of the " + n + " element outputs of '" + node + "' in run " + run
                    + " are stored", true);
        }
        return List.of(outputs);
    }

    /** Concatenates the element outputs (each a JSON array) in element order: the output of a fan-out. */
    JsonNode gather(List<JsonNode> elementOutputs) {
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        for (JsonNode part : elementOutputs) {
            if (part.isArray()) all.addAll((ArrayNode) part);
        }
        return all;
    }
}
