package dev.drover.benchmarks;

/** A bad command line: unknown option, missing or malformed value. {@link Bench} prints it and exits with code 2. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
