package dev.drover.workflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A run of a workflow, as stored when it was read.
 *
 * @param nodes      every node of the workflow, in declaration order
 * @param result     the result (the result node's output) when {@link RunStatus#SUCCEEDED}; else null
 * @param failedNode the node that failed when {@link RunStatus#FAILED}; else null
 * @param error      the failed node's error when {@link RunStatus#FAILED}; else null
 */
public record RunState<O>(String workflow, RunId run, RunStatus status, Map<String, NodeState> nodes, O result, String failedNode,
                          String error) {
    public RunState {
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    }

    public NodeState node(String name) {
        NodeState state = nodes.get(name);
        if (state == null) throw new NoSuchElementException("workflow '" + workflow + "' has no node '" + name + "' (nodes: " + nodes.keySet() + ")");
        return state;
    }

    /** One line: the run's status and each node's. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(workflow).append(' ').append(run).append(' ').append(status);
        if (failedNode != null) sb.append(" at ").append(failedNode);
        sb.append(':');
        for (NodeState n : nodes.values()) {
            sb.append(' ').append(n.node()).append('=').append(n.status());
            if (n.elements() > 0) sb.append('(').append(n.elementsDone()).append('/').append(n.elements()).append(')');
        }
        return sb.toString();
    }
}
