package dev.drover.workflow;

/** Where a run is. */
public enum RunStatus {
    /** Some step is pending or running. */
    RUNNING,
    /** Every node is done; the result is the result node's output. Terminal. */
    SUCCEEDED,
    /** A step used up its attempts (or was killed); nothing after it runs. Terminal. */
    FAILED,
    /** Cancelled: no step starts any more (one already running finishes, and pushes nothing). Terminal. */
    CANCELLED;

    public boolean isTerminal() {
        return this != RUNNING;
    }
}
