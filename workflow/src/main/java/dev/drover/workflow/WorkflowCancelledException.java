package dev.drover.workflow;

/** Thrown by {@link WorkflowClient#await}: the run was cancelled before it finished. */
public class WorkflowCancelledException extends WorkflowException {
    private final RunId run;

    public WorkflowCancelledException(String workflow, RunId run) {
        super("run " + run + " of workflow '" + workflow + "' was cancelled");
        this.run = run;
    }

    public RunId run() {
        return run;
    }
}
