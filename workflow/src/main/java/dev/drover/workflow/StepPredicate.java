package dev.drover.workflow;

/** The test of a filter step: true keeps the element. Runs once per element, as a task of its own. */
@FunctionalInterface
public interface StepPredicate<E> {
    boolean test(E element) throws Exception;
}
