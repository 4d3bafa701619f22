package dev.drover.workflow;

/**
 * One node of a run, as stored.
 *
 * @param output       the node's output, decoded with its declared type, when {@link NodeStatus#DONE}; else null
 * @param error        the last error of the node's task (kept while it is retried, and when it failed); else null
 * @param attempts     attempts its task has had (for a fan-out, the gather's)
 * @param elements     for a filter or flat-map whose elements were pushed, how many there are; else 0
 * @param elementsDone how many of those are done
 */
public record NodeState(String node, NodeStatus status, Object output, String error, int attempts, int elements, int elementsDone) {

    /** The output as a {@code type}. */
    public <T> T output(Class<T> type) {
        return type.cast(output);
    }
}
