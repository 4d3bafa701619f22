package dev.drover.workflow;

/**
 * A workflow definition that cannot run: an invalid or repeated node name, a dependency on a node that does not exist,
 * a cycle, or a dependency whose output type does not fit the input a node declares. Thrown by {@code build()},
 * before anything runs; the message names the offending node.
 */
public class WorkflowDefinitionException extends WorkflowException {
    public WorkflowDefinitionException(String message) {
        super(message);
    }
}
