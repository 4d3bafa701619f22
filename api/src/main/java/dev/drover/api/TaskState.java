package dev.drover.api;

/** Where a task is in its life. See DESIGN §2. */
public enum TaskState {
    /** Due now or scheduled for later; waiting to be claimed. */
    PENDING,
    /** Claimed under a lease by a worker. */
    RUNNING,
    /** The handler succeeded. Terminal. */
    DONE,
    /** Attempts exhausted, killed by its handler, or undecodable. Terminal until requeued. */
    DEAD,
    /** Cancelled by a user, while pending or while running (its outcome then fenced off). Terminal until requeued. */
    CANCELLED;

    public boolean isTerminal() {
        return this == DONE || this == DEAD || this == CANCELLED;
    }
}
