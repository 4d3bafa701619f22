package dev.drover.api;

/** Thrown by a handler to say the task can never succeed: it goes DEAD now, with this message as its error. */
public class DoNotRetryException extends RuntimeException {
    public DoNotRetryException(String message) {
        super(message);
    }

    public DoNotRetryException(String message, Throwable cause) {
        super(message, cause);
    }
}
