package dev.drover.workflow;

/** A join of two inputs, given in the order its dependencies were declared. */
@FunctionalInterface
public interface StepFunction2<A, B, R> {
    R apply(A first, B second) throws Exception;
}
