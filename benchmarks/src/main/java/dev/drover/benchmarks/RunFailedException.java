package dev.drover.benchmarks;

/**
 * A run that completed but broke a rule its scenario checks (a task ran twice, a lease was lost, the heap ran out):
 * the run is FAILED with this message, printed without a stack trace.
 */
public final class RunFailedException extends Exception {
    public RunFailedException(String message) {
        super(message);
    }
}
