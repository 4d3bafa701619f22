package dev.drover.workflow;

import dev.drover.api.DroverException;

/** A workflow went wrong: a definition that cannot run, a run that failed or was cancelled, a run that does not exist. */
public class WorkflowException extends DroverException {
    public WorkflowException(String message) {
        super(message);
    }

    public WorkflowException(String message, Throwable cause) {
        super(message, cause);
    }
}
