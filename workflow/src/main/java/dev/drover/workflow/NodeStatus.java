package dev.drover.workflow;

/** Where one node of a run is. */
public enum NodeStatus {
    /** Not started: waiting for its inputs, for its due time, or for a worker (also between retries). */
    PENDING,
    /** Running on a worker; for a filter or flat-map, some elements are started or done. */
    RUNNING,
    /** Done; its output is stored. */
    DONE,
    /** Its attempts are used up (or it was killed); its error is kept. */
    FAILED,
    /** The run was cancelled before this node ran. */
    CANCELLED
}
