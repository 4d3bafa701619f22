package dev.drover.api;

/** A task was refused before it was stored: bad queue name, payload over the limit, negative delay... Nothing was written. */
public class InvalidTaskException extends DroverException {
    public InvalidTaskException(String message) {
        super(message);
    }

    public InvalidTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
