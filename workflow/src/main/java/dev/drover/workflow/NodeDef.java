package dev.drover.workflow;

import tools.jackson.databind.JavaType;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One node of a workflow, as the builders declare it and the engine runs it.
 *
 * @param deps        the nodes whose outputs are its inputs, in declared order; empty for an entry node (it takes the run's input)
 * @param inputTypes  the declared type of each input (one for an entry node); for a fan-out, the collection it fans out over
 * @param elementType for a fan-out (filter, flat-map), the type of one element; null for a step
 * @param delay       how long after its inputs are ready its tasks become due
 * @param policy      null until the workflow's default is applied
 */
record NodeDef(String name, Kind kind, List<String> deps, List<JavaType> inputTypes, JavaType outputType, JavaType elementType,
               Body body, Duration delay, StepPolicy policy) {

    enum Kind {
        /** One task: inputs in, one output out. */
        STEP,
        /** One task per element of the input collection, keeping the elements the predicate accepts; then a gather task. */
        FILTER,
        /** One task per element of the input collection, each giving a list; then a gather task concatenating them. */
        FLAT_MAP;

        boolean fansOut() {
            return this != STEP;
        }
    }

    /** What the node runs. */
    sealed interface Body {
        record Step(Invoker invoker) implements Body {
        }

        record Filter(StepPredicate<Object> predicate) implements Body {
        }

        record FlatMap(StepFunction<Object, ? extends Collection<?>> function) implements Body {
        }
    }

    /** A step function of any arity, given its decoded inputs in declared order. */
    @FunctionalInterface
    interface Invoker {
        Object invoke(List<Object> inputs) throws Exception;
    }

    NodeDef {
        Objects.requireNonNull(name, "node name");
        Objects.requireNonNull(kind, "kind");
        deps = List.copyOf(deps);
        inputTypes = List.copyOf(inputTypes);
        Objects.requireNonNull(outputType, "outputType");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(delay, "delay");
    }

    NodeDef withPolicy(StepPolicy p) {
        return new NodeDef(name, kind, deps, inputTypes, outputType, elementType, body, delay, p);
    }

    NodeDef withDelay(Duration d) {
        return new NodeDef(name, kind, deps, inputTypes, outputType, elementType, body, d, policy);
    }

    boolean isEntry() {
        return deps.isEmpty();
    }
}
