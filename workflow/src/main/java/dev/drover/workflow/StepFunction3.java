package dev.drover.workflow;

/** A join of three inputs, given in the order its dependencies were declared. */
@FunctionalInterface
public interface StepFunction3<A, B, C, R> {
    R apply(A first, B second, C third) throws Exception;
}
