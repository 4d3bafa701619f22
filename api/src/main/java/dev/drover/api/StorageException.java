package dev.drover.api;

/**
 * The storage failed or refused an operation. {@link #isTransient()} tells whether trying again later may
 * succeed (a busy or unreachable database) or not (a file that is not a database, a read-only file).
 */
public class StorageException extends DroverException {
    private final boolean transientFailure;

    public StorageException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public StorageException(String message, boolean transientFailure) {
        this(message, transientFailure, null);
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
