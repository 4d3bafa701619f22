package dev.drover.workflow;

import dev.drover.api.QueueName;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JavaType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A DAG workflow under construction: named nodes, each taking the outputs of the nodes it depends on, in the order
 * the dependencies are declared (an entry node takes the run's input). Independent nodes run in parallel; a node with
 * several dependencies runs once, when the last of them is done. Nodes may be declared in any order; {@link #build}
 * checks, before anything runs, that every dependency exists, that there is no cycle, and that each dependency's
 * output type fits the input type the node declares for it. Immutable: every method returns a new builder.
 *
 * <pre>{@code
 * Workflow<Request, Report> report = Workflow.graph("report", Request.class)
 *         .entry("user", User.class, request -> users.load(request.userId()))
 *         .entry("prices", Prices.class, request -> pricing.current())
 *         .node("orders", Orders.class).from("user", User.class).run(user -> orders.of(user))
 *         .node("report", Report.class)
 *                 .from("user", User.class).and("orders", Orders.class).and("prices", Prices.class)
 *                 .run((user, orders, prices) -> Report.of(user, orders, prices))
 *         .build("report", Report.class);
 * }</pre>
 */
public final class Graph<I> {
    private final String name;
    private final JavaType inputType;
    private final List<NodeDef> nodes;
    private final StepPolicy defaultPolicy;
    private final QueueName queue;

    private Graph(String name, JavaType inputType, List<NodeDef> nodes, StepPolicy defaultPolicy, QueueName queue) {
        this.name = name;
        this.inputType = inputType;
        this.nodes = List.copyOf(nodes);
        this.defaultPolicy = defaultPolicy;
        this.queue = queue;
    }

    static <I> Graph<I> start(String name, JavaType inputType) {
        Objects.requireNonNull(name, "workflow name");
        return new Graph<>(name, inputType, List.of(), StepPolicy.defaults(), null);
    }

    /** An entry node: it takes the run's input, and its task is pushed when the run starts. */
    public <R> Graph<I> entry(String node, Class<R> type, StepFunction<? super I, ? extends R> step) {
        return addEntry(node, Types.of(type), step, null);
    }

    public <R> Graph<I> entry(String node, TypeReference<R> type, StepFunction<? super I, ? extends R> step) {
        return addEntry(node, Types.of(type), step, null);
    }

    /** An entry node with a retry policy of its own. */
    public <R> Graph<I> entry(String node, Class<R> type, StepPolicy policy, StepFunction<? super I, ? extends R> step) {
        return addEntry(node, Types.of(type), step, Objects.requireNonNull(policy, "policy"));
    }

    /** A node that outputs a {@code type}; say what it depends on with {@code from(...)}, then what it runs. */
    public <R> Node<I, R> node(String node, Class<R> type) {
        return new Node<>(new Pending(this, node, Types.of(type), List.of(), List.of(), null, Duration.ZERO));
    }

    public <R> Node<I, R> node(String node, TypeReference<R> type) {
        return new Node<>(new Pending(this, node, Types.of(type), List.of(), List.of(), null, Duration.ZERO));
    }

    /** The retry policy of every node without one of its own (default: {@link StepPolicy#defaults()}). */
    public Graph<I> defaultPolicy(StepPolicy policy) {
        return new Graph<>(name, inputType, nodes, Objects.requireNonNull(policy, "policy"), queue);
    }

    /** The queue the nodes run on (default {@code wf_<name>}). */
    public Graph<I> queue(String queueName) {
        return new Graph<>(name, inputType, nodes, defaultPolicy, QueueName.of(queueName));
    }

    /**
     * Validates the graph and returns the workflow. The run succeeds when every node is done; its result is the
     * output of {@code resultNode}.
     */
    public <O> Workflow<I, O> build(String resultNode, Class<O> resultType) {
        return new Workflow<>(name, queue, inputType, nodes, defaultPolicy, resultNode, Types.of(resultType));
    }

    public <O> Workflow<I, O> build(String resultNode, TypeReference<O> resultType) {
        return new Workflow<>(name, queue, inputType, nodes, defaultPolicy, resultNode, Types.of(resultType));
    }

    private <R> Graph<I> addEntry(String node, JavaType out, StepFunction<? super I, ? extends R> step, StepPolicy policy) {
        Objects.requireNonNull(step, "function of " + node);
        @SuppressWarnings("unchecked")
        StepFunction<Object, Object> fn = (StepFunction<Object, Object>) (StepFunction<?, ?>) step;
        return add(new NodeDef(node, NodeDef.Kind.STEP, List.of(), List.of(inputType), out, null,
                new NodeDef.Body.Step(inputs -> fn.apply(inputs.getFirst())), Duration.ZERO, policy));
    }

    private Graph<I> add(NodeDef def) {
        List<NodeDef> copy = new ArrayList<>(nodes);
        copy.add(def);
        return new Graph<>(name, inputType, copy, defaultPolicy, queue);
    }

    /** A node being declared: its name, output type, dependencies so far, and options. */
    private record Pending(Graph<?> graph, String name, JavaType out, List<String> deps, List<JavaType> types,
                           StepPolicy policy, Duration delay) {
        Pending with(String dep, JavaType type) {
            Objects.requireNonNull(dep, "dependency of " + name);
            List<String> d = new ArrayList<>(deps);
            d.add(dep);
            List<JavaType> t = new ArrayList<>(types);
            t.add(type);
            return new Pending(graph, name, out, d, t, policy, delay);
        }

        @SuppressWarnings("unchecked")
        <I> Graph<I> finish(NodeDef.Invoker invoker) {
            NodeDef def = new NodeDef(name, NodeDef.Kind.STEP, deps, types, out, null, new NodeDef.Body.Step(invoker), delay, policy);
            return ((Graph<I>) graph).add(def);
        }
    }

    /** A node before its first dependency: options, then {@code from}. */
    public static final class Node<I, R> {
        private final Pending pending;

        private Node(Pending pending) {
            this.pending = pending;
        }

        /** The node's own retry policy. */
        public Node<I, R> policy(StepPolicy policy) {
            Pending p = pending;
            return new Node<>(new Pending(p.graph, p.name, p.out, p.deps, p.types, Objects.requireNonNull(policy, "policy"), p.delay));
        }

        /** The node's task becomes due no earlier than {@code delay} after its last input is done. */
        public Node<I, R> delay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) throw new WorkflowDefinitionException("node '" + pending.name + "': a delay must not be negative (got " + delay + ")");
            Pending p = pending;
            return new Node<>(new Pending(p.graph, p.name, p.out, p.deps, p.types, p.policy, delay));
        }

        /** The first input: the output of node {@code dep}, taken as a {@code type}. */
        public <A> From1<I, R, A> from(String dep, Class<A> type) {
            return new From1<>(pending.with(dep, Types.of(type)));
        }

        public <A> From1<I, R, A> from(String dep, TypeReference<A> type) {
            return new From1<>(pending.with(dep, Types.of(type)));
        }
    }

    /** A node with one input so far. */
    public static final class From1<I, R, A> {
        private final Pending pending;

        private From1(Pending pending) {
            this.pending = pending;
        }

        public <B> From2<I, R, A, B> and(String dep, Class<B> type) {
            return new From2<>(pending.with(dep, Types.of(type)));
        }

        public <B> From2<I, R, A, B> and(String dep, TypeReference<B> type) {
            return new From2<>(pending.with(dep, Types.of(type)));
        }

        @SuppressWarnings("unchecked")
        public Graph<I> run(StepFunction<? super A, ? extends R> step) {
            Objects.requireNonNull(step, "function of " + pending.name);
            return pending.finish(inputs -> step.apply((A) inputs.get(0)));
        }
    }

    /** A node with two inputs so far. */
    public static final class From2<I, R, A, B> {
        private final Pending pending;

        private From2(Pending pending) {
            this.pending = pending;
        }

        public <C> From3<I, R, A, B, C> and(String dep, Class<C> type) {
            return new From3<>(pending.with(dep, Types.of(type)));
        }

        public <C> From3<I, R, A, B, C> and(String dep, TypeReference<C> type) {
            return new From3<>(pending.with(dep, Types.of(type)));
        }

        @SuppressWarnings("unchecked")
        public Graph<I> run(StepFunction2<? super A, ? super B, ? extends R> step) {
            Objects.requireNonNull(step, "function of " + pending.name);
            return pending.finish(inputs -> step.apply((A) inputs.get(0), (B) inputs.get(1)));
        }
    }

    /** A node with three inputs so far. */
    public static final class From3<I, R, A, B, C> {
        private final Pending pending;

        private From3(Pending pending) {
            this.pending = pending;
        }

        /** A fourth input and more: the node then reads them from {@link Inputs}. */
        public FromN<I, R> and(String dep, Class<?> type) {
            return new FromN<>(pending.with(dep, Types.of(type)));
        }

        @SuppressWarnings("unchecked")
        public Graph<I> run(StepFunction3<? super A, ? super B, ? super C, ? extends R> step) {
            Objects.requireNonNull(step, "function of " + pending.name);
            return pending.finish(inputs -> step.apply((A) inputs.get(0), (B) inputs.get(1), (C) inputs.get(2)));
        }
    }

    /** A node with four inputs or more, read from {@link Inputs}. */
    public static final class FromN<I, R> {
        private final Pending pending;

        private FromN(Pending pending) {
            this.pending = pending;
        }

        public FromN<I, R> and(String dep, Class<?> type) {
            return new FromN<>(pending.with(dep, Types.of(type)));
        }

        public FromN<I, R> and(String dep, TypeReference<?> type) {
            return new FromN<>(pending.with(dep, Types.of(type)));
        }

        public Graph<I> run(JoinFunction<? extends R> step) {
            Objects.requireNonNull(step, "function of " + pending.name);
            List<String> names = pending.deps;
            return pending.finish(inputs -> step.apply(new Inputs(names, inputs)));
        }
    }
}
