package dev.drover.workflow;

/** A join of any number of inputs, read from {@link Inputs} in the order its dependencies were declared. */
@FunctionalInterface
public interface JoinFunction<R> {
    R apply(Inputs inputs) throws Exception;
}
