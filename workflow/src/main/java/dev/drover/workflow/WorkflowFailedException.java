package dev.drover.workflow;

/** Thrown by {@link WorkflowClient#await}: a step of the run used up its attempts (or was killed); its error is kept. */
public class WorkflowFailedException extends WorkflowException {
    private final RunId run;
    private final String node;
    private final String error;

    public WorkflowFailedException(String workflow, RunId run, String node, String error) {
        super("run " + run + " of workflow '" + workflow + "' failed at step '" + node + "': " + firstLine(error));
        this.run = run;
        this.node = node;
        this.error = error;
    }

    public RunId run() {
        return run;
    }

    /** The step that failed. */
    public String node() {
        return node;
    }

    /** The failed step's last error, as stored with its task (with the stack trace). */
    public String error() {
        return error;
    }

    static String firstLine(String text) {
        if (text == null) return "(no error recorded)";
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
