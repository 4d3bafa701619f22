package dev.drover.workflow;

import dev.drover.api.Capability;
import dev.drover.api.Drover;
import dev.drover.api.NewTask;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.UnsupportedCapabilityException;
import dev.drover.api.worker.Worker;
import dev.drover.spi.Backend;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Runs one workflow on one backend: starts runs, reads their state, waits for their results, cancels them, and
 * builds the worker that runs their steps. Cheap to create; thread-safe.
 *
 * <pre>{@code
 * WorkflowClient<Order, Receipt> orders = WorkflowClient.of(drover, fulfilment);
 * Worker<byte[]> worker = orders.worker().concurrency(8).start();   // in as many processes as you like
 * RunId run = orders.start(order);
 * Receipt receipt = orders.await(run, Duration.ofMinutes(1));        // or orders.state(run), orders.cancel(run)
 * }</pre>
 * <p>
 * A run is the set of its tasks on the workflow's queue, whose ids start with {@code wf.<run>.}: nothing else is
 * stored, so any process with the same definition can read or cancel any run.
 */
public final class WorkflowClient<I, O> {
    private static final Duration FIRST_POLL = Duration.ofMillis(10);
    private static final Duration LONGEST_POLL = Duration.ofMillis(500);

    private final Engine engine;
    private final Workflow<I, O> workflow;

    private WorkflowClient(Backend backend, Workflow<I, O> workflow, JsonMapper mapper) {
        Objects.requireNonNull(backend, "backend");
        this.workflow = Objects.requireNonNull(workflow, "workflow");
        if (!backend.capabilities().contains(Capability.INSPECTION)) {
            throw new UnsupportedCapabilityException(Capability.INSPECTION, backend.describe(),
                    "workflows read their steps' outputs and states back; use a backend that declares INSPECTION");
        }
        this.engine = new Engine(backend, workflow, Objects.requireNonNull(mapper, "mapper"));
    }

    public static <I, O> WorkflowClient<I, O> of(Drover drover, Workflow<I, O> workflow) {
        return new WorkflowClient<>(drover.backend(), workflow, Engine.DEFAULT_MAPPER);
    }

    public static <I, O> WorkflowClient<I, O> of(Backend backend, Workflow<I, O> workflow) {
        return new WorkflowClient<>(backend, workflow, Engine.DEFAULT_MAPPER);
    }

    /** With the application's own mapper for inputs and outputs; give workers and clients the same one. */
    public static <I, O> WorkflowClient<I, O> of(Backend backend, Workflow<I, O> workflow, JsonMapper mapper) {
        return new WorkflowClient<>(backend, workflow, mapper);
    }

    public Workflow<I, O> workflow() {
        return workflow;
    }

    /**
     * Whether a step's successors are pushed in the same transaction as its completion (the backend declares
     * {@link Capability#FOLLOW_UPS}); if not, each step records its output before pushing them, idempotently.
     */
    public boolean atomicSuccessors() {
        return engine.followUps;
    }

    /** Starts a run: pushes the tasks of its entry nodes, all or none. */
    public RunId start(I input) {
        RunId run = RunId.generate();
        List<NewTask> tasks = engine.entryTasks(run, engine.tree(input), Instant.now());
        engine.backend.push(tasks);
        return run;
    }

    /**
     * A builder of the worker that runs this workflow's steps (any number, in any process, with the same definition);
     * set its options (concurrency, lease...) and start it.
     */
    public Worker.Builder<byte[]> worker() {
        return Worker.builderWithResults(engine.backend, workflow.queue(), JsonBytesCodec.INSTANCE, new StepRunner(engine));
    }

    /** The run's state, from its tasks. */
    public RunState<O> state(RunId run) {
        Objects.requireNonNull(run, "run");
        Map<String, TaskRecord> steps = new HashMap<>();
        Map<String, List<TaskRecord>> elements = new HashMap<>();
        boolean marker = false;
        int tasks = 0;
        List<TaskRecord> all = tasksOf(run);
        // Without follow-ups, a step records its output, then pushes its successors, then completes: from the moment
        // its output is recorded it is done as far as the run is concerned, even while its completion is in flight.
        Map<TaskId, byte[]> recorded = new HashMap<>();
        for (TaskRecord t : all) {
            String id = t.id().value();
            if (id.endsWith(RunIds.OUTPUT_SUFFIX)) {
                recorded.put(TaskId.of(id.substring(0, id.length() - RunIds.OUTPUT_SUFFIX.length())), t.payload());
            }
        }
        for (TaskRecord stored : all) {
            TaskRecord t = recorded.containsKey(stored.id()) && stored.state() != TaskState.DONE ? asDone(stored, recorded.get(stored.id())) : stored;
            RunIds.Parsed id = RunIds.parse(run, t.id());
            switch (id.kind()) {
                case STEP -> steps.put(id.node(), t);
                case ELEMENT -> elements.computeIfAbsent(id.node(), k -> new ArrayList<>()).add(t);
                case MARKER -> marker = true;
                case OUTPUT_RECORD, OTHER -> {
                    continue;
                }
            }
            tasks++;
        }
        if (tasks == 0) {
            throw new WorkflowException("there is no run " + run + " of workflow '" + workflow.name() + "' on queue " + workflow.queue());
        }

        Map<String, NodeState> nodes = new LinkedHashMap<>();
        for (NodeDef node : workflow.nodeDefs()) {
            nodes.put(node.name(), nodeState(run, node, steps.get(node.name()), elements.getOrDefault(node.name(), List.of())));
        }
        RunStatus status;
        String failedNode = null;
        String error = null;
        if (nodes.values().stream().allMatch(n -> n.status() == NodeStatus.DONE)) {
            status = RunStatus.SUCCEEDED;
        } else if (nodes.values().stream().anyMatch(n -> n.status() == NodeStatus.FAILED)) {
            status = RunStatus.FAILED;
            NodeState failed = nodes.values().stream().filter(n -> n.status() == NodeStatus.FAILED).findFirst().orElseThrow();
            failedNode = failed.node();
            error = failed.error();
        } else if (marker || nodes.values().stream().anyMatch(n -> n.status() == NodeStatus.CANCELLED)) {
            status = RunStatus.CANCELLED;
            nodes.replaceAll((name, n) -> n.status() == NodeStatus.PENDING
                    ? new NodeState(name, NodeStatus.CANCELLED, null, n.error(), n.attempts(), n.elements(), n.elementsDone()) : n);
        } else {
            status = RunStatus.RUNNING;
        }
        @SuppressWarnings("unchecked")
        O result = status == RunStatus.SUCCEEDED ? (O) decodeQuietly(steps.get(workflow.resultNode()).result(), workflow.resultType()) : null;
        return new RunState<>(workflow.name(), run, status, nodes, result, failedNode, error);
    }

    /**
     * Waits for the run to finish and returns its result. Polls the run's state, every 10 ms at first and backing off
     * to every 500 ms; nothing else waits or spins meanwhile.
     *
     * @throws WorkflowFailedException    the run failed: a step used up its attempts (its error is in the exception)
     * @throws WorkflowCancelledException the run was cancelled
     * @throws TimeoutException           the run is still running after {@code timeout}
     */
    public O await(RunId run, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = FIRST_POLL;
        while (true) {
            RunState<O> state = state(run);
            switch (state.status()) {
                case SUCCEEDED -> {
                    return state.result();
                }
                case FAILED -> throw new WorkflowFailedException(workflow.name(), run, state.failedNode(), state.error());
                case CANCELLED -> throw new WorkflowCancelledException(workflow.name(), run);
                case RUNNING -> {
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("run " + run + " of workflow '" + workflow.name() + "' did not finish within " + timeout + ": " + state);
            }
            Thread.sleep(Math.max(1, Math.min(pause.toMillis(), Duration.ofNanos(left).toMillis())));
            pause = pause.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : pause.multipliedBy(2);
        }
    }

    /**
     * Cancels the run: no step of it starts any more. Pushes the run's cancellation marker (a task that never comes due,
     * itself cancelled at once), whose existence stops every later completion from pushing successors, then cancels the
     * run's pending tasks. A step already running finishes, and pushes nothing.
     *
     * @return false when the run had already finished (succeeded, failed or was cancelled), and nothing changed
     */
    public boolean cancel(RunId run) {
        RunState<O> before = state(run);
        if (before.status().isTerminal()) return false;
        TaskId marker = RunIds.marker(run);
        engine.pushIfAbsent(engine.markerTask(run, Instant.now()));
        engine.backend.cancel(workflow.queue(), marker);
        for (TaskRecord t : tasksOf(run)) {
            if (t.state() == TaskState.PENDING && !t.id().equals(marker)) engine.backend.cancel(workflow.queue(), t.id());
        }
        return true;
    }

    // ---- reading ----

    /** Every task of the run: the id range after {@code wf.<run>.}, in pages, up to the first id outside it. */
    private List<TaskRecord> tasksOf(RunId run) {
        String prefix = RunIds.prefix(run);
        List<TaskRecord> all = new ArrayList<>();
        TaskId after = TaskId.of(prefix);
        while (true) {
            List<TaskRecord> page = engine.backend.list(TaskQuery.of(workflow.queue()).after(after).limit(TaskQuery.MAX_LIMIT));
            for (TaskRecord t : page) {
                if (!t.id().value().startsWith(prefix)) return all;
                all.add(t);
                after = t.id();
            }
            if (page.size() < TaskQuery.MAX_LIMIT) return all;
        }
    }

    private NodeState nodeState(RunId run, NodeDef node, TaskRecord task, List<TaskRecord> elements) {
        int total = elements.size();
        int done = (int) elements.stream().filter(t -> t.state() == TaskState.DONE).count();
        if (task != null) {
            NodeStatus status = switch (task.state()) {
                case PENDING -> NodeStatus.PENDING;
                case RUNNING -> NodeStatus.RUNNING;
                case DONE -> task.result() == null ? NodeStatus.CANCELLED : NodeStatus.DONE; // no result: skipped, the run was cancelled
                case DEAD -> NodeStatus.FAILED;
                case CANCELLED -> NodeStatus.CANCELLED;
            };
            Object output = status == NodeStatus.DONE ? decodeQuietly(task.result(), node.outputType()) : null;
            return new NodeState(node.name(), status, output, task.lastError(), task.attempt(), total, done);
        }
        if (elements.isEmpty()) return new NodeState(node.name(), NodeStatus.PENDING, null, null, 0, 0, 0);
        // A fan-out whose gather is not pushed yet: its state is its elements'.
        TaskRecord dead = elements.stream().filter(t -> t.state() == TaskState.DEAD).findFirst().orElse(null);
        TaskRecord failing = dead != null ? dead : elements.stream().filter(t -> t.lastError() != null).findFirst().orElse(null);
        String error = failing == null ? null : "element " + RunIds.parse(run, failing.id()).element() + ": " + failing.lastError();
        NodeStatus status;
        if (dead != null) {
            status = NodeStatus.FAILED;
        } else if (elements.stream().anyMatch(t -> t.state() == TaskState.CANCELLED || t.state() == TaskState.DONE && t.result() == null)) {
            status = NodeStatus.CANCELLED;
        } else if (elements.stream().anyMatch(t -> t.state() == TaskState.RUNNING || t.state() == TaskState.DONE)) {
            status = NodeStatus.RUNNING;
        } else {
            status = NodeStatus.PENDING;
        }
        return new NodeState(node.name(), status, null, error, 0, total, done);
    }

    private static TaskRecord asDone(TaskRecord t, byte[] output) {
        return t.toBuilder().state(TaskState.DONE).result(output).leaseExpiresAt(null).build();
    }

    /** The value, or the JSON tree when it no longer reads as the declared type (a definition changed under a run). */
    private Object decodeQuietly(byte[] json, JavaType type) {
        if (json == null) return null;
        try {
            return engine.mapper.readValue(json, type);
        } catch (JacksonException e) {
            return engine.tree(json);
        }
    }
}
