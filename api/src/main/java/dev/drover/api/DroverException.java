package dev.drover.api;

/**
 * Base of every failure Drover reports. Messages say what happened, to which task, queue or setting,
 * and what to do about it. They never contain passwords or tokens.
 */
public class DroverException extends RuntimeException {
    public DroverException(String message) {
        super(message);
    }

    public DroverException(String message, Throwable cause) {
        super(message, cause);
    }
}
