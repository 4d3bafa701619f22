package dev.drover.workflow;

/** A step of one input: its output becomes the input of the steps after it. May throw; the step's policy retries it. */
@FunctionalInterface
public interface StepFunction<A, R> {
    R apply(A input) throws Exception;
}
