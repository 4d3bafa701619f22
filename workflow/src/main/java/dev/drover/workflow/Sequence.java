package dev.drover.workflow;

import dev.drover.api.QueueName;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A sequential workflow under construction: each step takes the output of the one before (the first takes the
 * run's input). Immutable: every method returns a new builder. {@code T} is the type the last step outputs.
 *
 * <pre>{@code
 * Workflow<Order, Receipt> fulfilment = Workflow.sequence("fulfil_order", Order.class)
 *         .then("charge_card", Payment.class, order -> payments.charge(order))
 *         .then("reserve_stock", new TypeReference<List<Line>>() { }, payment -> stock.reserve(payment))
 *         .filter("in_stock", Line.class, line -> line.quantity() > 0)
 *         .delay(Duration.ofMinutes(10))
 *         .then("dispatch", Shipment.class, lines -> warehouse.dispatch(lines))
 *         .then("email_customer", Receipt.class, shipment -> mailer.confirm(shipment))
 *         .build();
 * }</pre>
 */
public final class Sequence<I, T> {
    private final String name;
    private final JavaType inputType;
    private final List<NodeDef> nodes;
    private final JavaType current;
    private final Duration pendingDelay;
    private final StepPolicy defaultPolicy;
    private final QueueName queue;

    private Sequence(String name, JavaType inputType, List<NodeDef> nodes, JavaType current, Duration pendingDelay,
                     StepPolicy defaultPolicy, QueueName queue) {
        this.name = name;
        this.inputType = inputType;
        this.nodes = List.copyOf(nodes);
        this.current = current;
        this.pendingDelay = pendingDelay;
        this.defaultPolicy = defaultPolicy;
        this.queue = queue;
    }

    static <I> Sequence<I, I> start(String name, JavaType inputType) {
        Objects.requireNonNull(name, "workflow name");
        return new Sequence<>(name, inputType, List.of(), inputType, Duration.ZERO, StepPolicy.defaults(), null);
    }

    /** A step mapping the current value to a {@code type}. */
    public <R> Sequence<I, R> then(String node, Class<R> type, StepFunction<? super T, ? extends R> step) {
        return thenStep(node, Types.of(type), step);
    }

    /** A step mapping the current value to a generic type, such as {@code new TypeReference<List<Line>>() { }}. */
    public <R> Sequence<I, R> then(String node, TypeReference<R> type, StepFunction<? super T, ? extends R> step) {
        return thenStep(node, Types.of(type), step);
    }

    /**
     * Fans the current value, a collection of {@code element}s, out into one task per element, and gathers the elements
     * {@code keep} accepts, in their original order, into a {@code List<E>}. An empty collection gives an empty list.
     */
    @SuppressWarnings("unchecked")
    public <E> Sequence<I, List<E>> filter(String node, Class<E> element, StepPredicate<? super E> keep) {
        Objects.requireNonNull(keep, "predicate of " + node);
        JavaType e = Types.of(element);
        StepPredicate<Object> predicate = value -> ((StepPredicate<Object>) keep).test(value);
        return fanOut(new NodeDef(node, NodeDef.Kind.FILTER, previous(), List.of(current), Types.listOf(e), e,
                new NodeDef.Body.Filter(predicate), pendingDelay, null), Types.listOf(e));
    }

    /**
     * Fans the current value, a collection of {@code element}s, out into one task per element; each gives a list of
     * {@code outElement}s, and the lists are concatenated in element order into a {@code List<R>}.
     */
    @SuppressWarnings("unchecked")
    public <E, R> Sequence<I, List<R>> flatMap(String node, Class<E> element, Class<R> outElement,
                                               StepFunction<? super E, ? extends Collection<? extends R>> step) {
        Objects.requireNonNull(step, "function of " + node);
        JavaType e = Types.of(element);
        JavaType out = Types.listOf(Types.of(outElement));
        StepFunction<Object, ? extends Collection<?>> function = value -> ((StepFunction<Object, ? extends Collection<?>>) (StepFunction<?, ?>) step).apply(value);
        return fanOut(new NodeDef(node, NodeDef.Kind.FLAT_MAP, previous(), List.of(current), out, e,
                new NodeDef.Body.FlatMap(function), pendingDelay, null), out);
    }

    /** The next step's tasks become due no earlier than {@code delay} after this point is reached. Delays add up. */
    public Sequence<I, T> delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new WorkflowDefinitionException("workflow '" + name + "': a delay must not be negative (got " + delay + ")");
        return new Sequence<>(name, inputType, nodes, current, pendingDelay.plus(delay), defaultPolicy, queue);
    }

    /** The retry policy of the step added last. */
    public Sequence<I, T> policy(StepPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (nodes.isEmpty()) {
            throw new WorkflowDefinitionException("workflow '" + name + "': policy(...) applies to the step added last, and there is none yet; "
                    + "use defaultPolicy(...) for every step");
        }
        List<NodeDef> copy = new ArrayList<>(nodes);
        copy.set(copy.size() - 1, copy.getLast().withPolicy(policy));
        return new Sequence<>(name, inputType, copy, current, pendingDelay, defaultPolicy, queue);
    }

    /** The retry policy of every step without one of its own (default: {@link StepPolicy#defaults()}). */
    public Sequence<I, T> defaultPolicy(StepPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return new Sequence<>(name, inputType, nodes, current, pendingDelay, policy, queue);
    }

    /** The queue the steps run on (default {@code wf_<name>}). */
    public Sequence<I, T> queue(String queueName) {
        return new Sequence<>(name, inputType, nodes, current, pendingDelay, defaultPolicy, QueueName.of(queueName));
    }

    /** Validates the sequence and returns the workflow; its result is the last step's output. */
    public Workflow<I, T> build() {
        if (nodes.isEmpty()) throw new WorkflowDefinitionException("workflow '" + name + "' has no step: add one with then(...)");
        if (!pendingDelay.isZero()) {
            throw new WorkflowDefinitionException("workflow '" + name + "' ends with a delay after step '" + nodes.getLast().name()
                    + "': a delay holds back the step after it, so add that step or remove the delay");
        }
        return new Workflow<>(name, queue, inputType, nodes, defaultPolicy, nodes.getLast().name(), current);
    }

    private <R> Sequence<I, R> thenStep(String node, JavaType out, StepFunction<? super T, ? extends R> step) {
        Objects.requireNonNull(step, "function of " + node);
        @SuppressWarnings("unchecked")
        StepFunction<Object, Object> fn = (StepFunction<Object, Object>) (StepFunction<?, ?>) step;
        NodeDef def = new NodeDef(node, NodeDef.Kind.STEP, previous(), List.of(current), out, null,
                new NodeDef.Body.Step(inputs -> fn.apply(inputs.getFirst())), pendingDelay, null);
        return add(def, out);
    }

    private <R> Sequence<I, R> fanOut(NodeDef def, JavaType out) {
        return add(def, out);
    }

    private <R> Sequence<I, R> add(NodeDef def, JavaType out) {
        List<NodeDef> copy = new ArrayList<>(nodes);
        copy.add(def);
        return new Sequence<>(name, inputType, copy, out, Duration.ZERO, defaultPolicy, queue);
    }

    private List<String> previous() {
        return nodes.isEmpty() ? List.of() : List.of(nodes.getLast().name());
    }
}
