package dev.drover.workflow;

import dev.drover.api.QueueName;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated workflow definition: named, typed nodes whose every run is a set of tasks on one queue
 * ({@code wf_<name>} unless said otherwise). Build one with {@link #sequence} or {@link #graph}; run it with a
 * {@link WorkflowClient}. Immutable and thread-safe; the same definition must be given to the clients that start runs
 * and to the workers that run them.
 *
 * @param <I> the run's input
 * @param <O> the run's result
 */
public final class Workflow<I, O> {
    /** Workflow and node names: a lower-case letter, then lower-case letters, digits and underscores. */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    static final int MAX_NAME = 40;

    private final String name;
    private final QueueName queue;
    private final JavaType inputType;
    private final Map<String, NodeDef> nodes; // in declaration order
    private final Map<String, List<NodeDef>> dependents;
    private final String resultNode;
    private final JavaType resultType;

    Workflow(String name, QueueName queue, JavaType inputType, List<NodeDef> declared, StepPolicy defaultPolicy,
             String resultNode, JavaType resultType) {
        if (name == null || !NAME.matcher(name).matches() || name.length() > MAX_NAME) {
            throw new WorkflowDefinitionException("invalid workflow name " + quote(name) + ": use 1 to " + MAX_NAME
                    + " characters of a-z, 0-9 and _, starting with a letter (for example \"fulfil_order\")");
        }
        this.name = name;
        this.queue = queue != null ? queue : defaultQueue(name);
        this.inputType = inputType;
        this.nodes = index(declared, defaultPolicy);
        this.dependents = dependents(nodes);
        validateDependencies();
        validateAcyclic();
        validateTypes();
        NodeDef result = nodes.get(resultNode);
        if (result == null) {
            throw fail("the result node '" + resultNode + "' is not a node of this workflow (nodes: " + String.join(", ", nodes.keySet()) + ")");
        }
        if (!Types.fits(result.outputType(), resultType)) {
            throw fail("the result node '" + resultNode + "' outputs " + Types.describe(result.outputType())
                    + ", which does not fit the declared result type " + Types.describe(resultType));
        }
        this.resultNode = resultNode;
        this.resultType = resultType;
    }

    /** A sequential workflow whose runs take a {@code input}. */
    public static <I> Sequence<I, I> sequence(String name, Class<I> input) {
        return Sequence.start(name, Types.of(input));
    }

    public static <I> Sequence<I, I> sequence(String name, TypeReference<I> input) {
        return Sequence.start(name, Types.of(input));
    }

    /** A DAG workflow whose runs take a {@code input}. */
    public static <I> Graph<I> graph(String name, Class<I> input) {
        return Graph.start(name, Types.of(input));
    }

    public static <I> Graph<I> graph(String name, TypeReference<I> input) {
        return Graph.start(name, Types.of(input));
    }

    public String name() {
        return name;
    }

    /** The queue every step task of every run is on. */
    public QueueName queue() {
        return queue;
    }

    /** The node names, in declaration order. */
    public List<String> nodes() {
        return List.copyOf(nodes.keySet());
    }

    /** The node whose output is the run's result. */
    public String resultNode() {
        return resultNode;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Workflow[").append(name).append(" on ").append(queue).append(':');
        for (NodeDef n : nodes.values()) {
            sb.append(' ').append(n.name());
            if (n.kind() != NodeDef.Kind.STEP) sb.append(" (").append(n.kind().name().toLowerCase()).append(')');
            if (!n.deps().isEmpty()) sb.append(" <- ").append(String.join("+", n.deps()));
            if (!n.delay().isZero()) sb.append(" after ").append(n.delay());
            sb.append(';');
        }
        return sb.append(" result ").append(resultNode).append(']').toString();
    }

    // ---- for the engine ----

    JavaType inputType() {
        return inputType;
    }

    JavaType resultType() {
        return resultType;
    }

    NodeDef node(String node) {
        return nodes.get(node);
    }

    Iterable<NodeDef> nodeDefs() {
        return nodes.values();
    }

    List<NodeDef> entries() {
        return nodes.values().stream().filter(NodeDef::isEntry).toList();
    }

    /** The nodes that take {@code node}'s output, in declaration order. */
    List<NodeDef> dependentsOf(String node) {
        return dependents.getOrDefault(node, List.of());
    }

    static QueueName defaultQueue(String name) {
        return QueueName.of("wf_" + name);
    }

    // ---- validation: before anything runs, naming the offending node ----

    private Map<String, NodeDef> index(List<NodeDef> declared, StepPolicy defaultPolicy) {
        if (declared.isEmpty()) throw fail("it has no node");
        Map<String, NodeDef> byName = new LinkedHashMap<>();
        for (NodeDef node : declared) {
            String n = node.name();
            if (!NAME.matcher(n).matches() || n.length() > MAX_NAME) {
                throw fail("node " + quote(n) + " has an invalid name: use 1 to " + MAX_NAME
                        + " characters of a-z, 0-9 and _, starting with a letter (for example \"charge_card\")");
            }
            if (byName.containsKey(n)) throw fail("node '" + n + "' is declared twice");
            byName.put(n, node.policy() == null ? node.withPolicy(defaultPolicy) : node);
        }
        return Collections.unmodifiableMap(byName);
    }

    private static Map<String, List<NodeDef>> dependents(Map<String, NodeDef> nodes) {
        Map<String, List<NodeDef>> map = new HashMap<>();
        for (NodeDef node : nodes.values()) {
            for (String dep : node.deps()) map.computeIfAbsent(dep, k -> new ArrayList<>()).add(node);
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(map);
    }

    private void validateDependencies() {
        for (NodeDef node : nodes.values()) {
            Set<String> seen = new HashSet<>();
            for (String dep : node.deps()) {
                if (!nodes.containsKey(dep)) {
                    throw fail("node '" + node.name() + "' depends on '" + dep + "', which is not a node of this workflow (nodes: "
                            + String.join(", ", nodes.keySet()) + ")");
                }
                if (!seen.add(dep)) throw fail("node '" + node.name() + "' takes the output of '" + dep + "' twice");
            }
            if (node.kind().fansOut() && node.deps().size() > 1) {
                throw fail("node '" + node.name() + "' fans out over one collection, but depends on " + node.deps().size() + " nodes");
            }
        }
    }

    private void validateAcyclic() {
        Map<String, Integer> mark = new HashMap<>(); // 1: on the current path, 2: done
        for (String start : nodes.keySet()) {
            List<String> path = new ArrayList<>();
            visit(start, mark, path);
        }
    }

    private void visit(String node, Map<String, Integer> mark, List<String> path) {
        Integer m = mark.get(node);
        if (m != null && m == 2) return;
        if (m != null && m == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            cycle.add(node);
            // path follows dependencies (node -> what it depends on); show it in the order the data flows.
            Collections.reverse(cycle);
            throw fail("node '" + node + "' is on a cycle: " + String.join(" -> ", cycle) + " (each node needs the output of the one before it)");
        }
        mark.put(node, 1);
        path.add(node);
        for (String dep : nodes.get(node).deps()) visit(dep, mark, path);
        path.removeLast();
        mark.put(node, 2);
    }

    private void validateTypes() {
        for (NodeDef node : nodes.values()) {
            if (node.kind().fansOut()) {
                JavaType source = node.isEntry() ? inputType : nodes.get(node.deps().getFirst()).outputType();
                String from = node.isEntry() ? "the run's input" : "'" + node.deps().getFirst() + "'";
                JavaType element = Types.elementOf(source);
                if (element == null) {
                    throw fail("node '" + node.name() + "' fans out over elements of " + Types.describe(node.elementType()) + ", but "
                            + from + " is " + Types.describe(source) + ", which is not a collection");
                }
                if (!Types.fits(element, node.elementType())) {
                    throw fail("node '" + node.name() + "' fans out over elements of " + Types.describe(node.elementType()) + ", but "
                            + from + " is " + Types.describe(source) + ", whose elements are " + Types.describe(element));
                }
                continue;
            }
            if (node.isEntry()) {
                if (!Types.fits(inputType, node.inputTypes().getFirst())) {
                    throw fail("node '" + node.name() + "' takes the run's input as " + Types.describe(node.inputTypes().getFirst())
                            + ", but the workflow's input is " + Types.describe(inputType));
                }
                continue;
            }
            for (int i = 0; i < node.deps().size(); i++) {
                NodeDef dep = nodes.get(node.deps().get(i));
                JavaType declared = node.inputTypes().get(i);
                if (!Types.fits(dep.outputType(), declared)) {
                    throw fail("node '" + node.name() + "' takes input " + (i + 1) + " from '" + dep.name() + "' as "
                            + Types.describe(declared) + ", but '" + dep.name() + "' outputs " + Types.describe(dep.outputType()));
                }
            }
        }
    }

    private WorkflowDefinitionException fail(String problem) {
        return new WorkflowDefinitionException("workflow '" + name + "': " + problem);
    }

    private static String quote(String value) {
        return value == null ? "null" : '"' + value + '"';
    }
}
