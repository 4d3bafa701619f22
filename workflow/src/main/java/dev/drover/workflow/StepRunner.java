package dev.drover.workflow;

import dev.drover.api.DoNotRetryException;
import dev.drover.api.FollowUp;
import dev.drover.api.ResultHandler;
import dev.drover.api.RetryAfterException;
import dev.drover.api.Task;
import dev.drover.api.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The handler of a workflow's queue: runs one task of a run — a step, one element of a fan-out, or a gather — and
 * returns its output as the task's result, with the tasks that follow it as follow-ups of the completion.
 * <p>
 * A step function that throws is retried after the step's own backoff ({@link RetryAfterException}); when its last
 * attempt fails, the worker makes the task DEAD and the run is FAILED. A task of a cancelled run completes without
 * running and pushes nothing.
 */
final class StepRunner implements ResultHandler<byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    private final Engine engine;
    private final Fallback fallback;

    StepRunner(Engine engine) {
        this.engine = engine;
        this.fallback = engine.followUps ? null : new Fallback(engine);
    }

    @Override
    public Completion handle(Task<byte[]> task) throws Exception {
        Envelope envelope;
        try {
            envelope = Envelope.parse(engine.mapper, task.payload());
        } catch (IllegalArgumentException e) {
            throw new DoNotRetryException("task " + task.id() + " on queue " + task.queue() + " is not a step of a workflow: " + e.getMessage());
        }
        Workflow<?, ?> workflow = engine.workflow;
        if (!envelope.workflow().equals(workflow.name())) {
            throw new DoNotRetryException("task " + task.id() + " belongs to workflow '" + envelope.workflow() + "', but this worker runs '"
                    + workflow.name() + "' on queue " + workflow.queue() + ": give each workflow a queue of its own");
        }
        if (envelope.kind() == Envelope.Kind.CANCEL) return Completion.NONE; // never due; nothing to do if it ever runs
        NodeDef node = workflow.node(envelope.node());
        if (node == null) {
            throw new DoNotRetryException("task " + task.id() + " is a step '" + envelope.node() + "' of workflow '" + workflow.name()
                    + "', which has no such node in this worker's definition (nodes: " + String.join(", ", workflow.nodes())
                    + "): run workers with the definition the run was started with");
        }
        RunId run = envelope.run();
        try {
            if (engine.cancelled(run)) {
                LOG.info("run {} of workflow '{}' was cancelled: task {} completes without running", run, workflow.name(), task.id());
                return Completion.NONE; // DONE without a result: the node shows as CANCELLED
            }
            JsonNode output = fallback != null ? fallback.recordedOutput(task.id()) : null;
            if (output == null) output = compute(task, envelope, node);
            Instant now = Instant.now();
            List<Engine.Successor> next = envelope.kind() == Envelope.Kind.ELEMENT
                    ? List.of(engine.gatherAfterElements(run, node, envelope.elements(), now))
                    : engine.successorsOf(run, node, output, now);
            byte[] result = engine.bytes(output);
            if (fallback != null) {
                fallback.advance(run, task.id(), result, next);
                return Completion.of(result);
            }
            TaskId marker = RunIds.marker(run);
            List<FollowUp> then = new ArrayList<>(next.size());
            for (Engine.Successor s : next) then.add(new FollowUp(s.task(), s.awaiting(), marker));
            return Completion.of(result, then);
        } catch (DoNotRetryException | RetryAfterException | InterruptedException e) {
            throw e; // the step's own verdict (kill now, retry after a delay it chose), or the worker stopping it
        } catch (Exception e) {
            Duration delay = node.policy().backoff().delayAfter(task.attempt());
            String what = describe(envelope) + " of workflow '" + workflow.name() + "' (run " + run + ") failed on attempt "
                    + task.attempt() + " of " + task.maxAttempts() + ": " + e;
            throw new RetryAfterException(delay, what, e);
        }
    }

    private JsonNode compute(Task<byte[]> task, Envelope envelope, NodeDef node) throws Exception {
        RunId run = envelope.run();
        return switch (envelope.kind()) {
            case GATHER -> engine.gather(envelope.elements() == 0 ? List.of() : engine.elementOutputs(run, node.name(), envelope.elements()));
            case ELEMENT -> {
                Object element = engine.decode(envelope.input(), node.elementType(), "element " + envelope.element() + " of '" + node.name() + "'");
                yield switch (node.body()) {
                    case NodeDef.Body.Filter f -> {
                        boolean keep = call(task, envelope, () -> f.predicate().test(element));
                        yield keep ? JsonNodeFactory.instance.arrayNode().add(envelope.input()) : JsonNodeFactory.instance.arrayNode();
                    }
                    case NodeDef.Body.FlatMap m -> {
                        Collection<?> out = call(task, envelope, () -> m.function().apply(element));
                        if (out == null) {
                            throw new DoNotRetryException("flat-map '" + node.name() + "' returned null for element " + envelope.element()
                                    + ": return an empty list to drop an element");
                        }
                        yield engine.tree(out);
                    }
                    case NodeDef.Body.Step s -> throw new IllegalStateException("node '" + node.name() + "' is a step, not a fan-out");
                };
            }
            case STEP -> {
                if (!(node.body() instanceof NodeDef.Body.Step step)) {
                    throw new IllegalStateException("node '" + node.name() + "' fans out; its step task is a gather");
                }
                List<Object> inputs = new ArrayList<>(node.inputTypes().size());
                if (envelope.input() != null) {
                    String from = node.isEntry() ? "the run's input" : "the output of '" + node.deps().getFirst() + "'";
                    inputs.add(engine.decode(envelope.input(), node.inputTypes().getFirst(), from + " for step '" + node.name() + "'"));
                } else {
                    for (int i = 0; i < node.deps().size(); i++) {
                        String dep = node.deps().get(i);
                        JavaType type = node.inputTypes().get(i);
                        inputs.add(engine.decode(engine.outputOf(run, dep), type, "the output of '" + dep + "' for step '" + node.name() + "'"));
                    }
                }
                yield engine.tree(call(task, envelope, () -> step.invoker().invoke(inputs)));
            }
            case CANCEL -> throw new IllegalStateException("a cancellation marker never runs");
        };
    }

    /** Runs user code with the step's context set. */
    private <R> R call(Task<byte[]> task, Envelope envelope, Call<R> code) throws Exception {
        StepContext.set(new StepContext(engine.workflow.name(), envelope.run(), envelope.node(), envelope.element(), task.attempt(),
                task.maxAttempts(), task.id().value()));
        try {
            return code.call();
        } finally {
            StepContext.set(null);
        }
    }

    @FunctionalInterface
    private interface Call<R> {
        R call() throws Exception;
    }

    private static String describe(Envelope envelope) {
        return switch (envelope.kind()) {
            case STEP -> "step '" + envelope.node() + "'";
            case ELEMENT -> "element " + envelope.element() + " of '" + envelope.node() + "'";
            case GATHER -> "the gather of '" + envelope.node() + "'";
            case CANCEL -> "the cancellation marker";
        };
    }
}
