package dev.drover.opentelemetry;

import dev.drover.api.Drover;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskRecord;
import dev.drover.api.instrument.Instrumentation;
import dev.drover.api.instrument.PushObservation;
import dev.drover.api.instrument.RunOutcome;
import dev.drover.api.instrument.TaskRun;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.util.List;
import java.util.Objects;

import static dev.drover.opentelemetry.MessagingAttributes.ATTEMPT;
import static dev.drover.opentelemetry.MessagingAttributes.BATCH_MESSAGE_COUNT;
import static dev.drover.opentelemetry.MessagingAttributes.CLIENT_ID;
import static dev.drover.opentelemetry.MessagingAttributes.DESTINATION_NAME;
import static dev.drover.opentelemetry.MessagingAttributes.ERROR_TYPE;
import static dev.drover.opentelemetry.MessagingAttributes.MAX_ATTEMPTS;
import static dev.drover.opentelemetry.MessagingAttributes.MESSAGE_ID;
import static dev.drover.opentelemetry.MessagingAttributes.OPERATION_NAME;
import static dev.drover.opentelemetry.MessagingAttributes.OPERATION_TYPE;
import static dev.drover.opentelemetry.MessagingAttributes.OUTCOME;
import static dev.drover.opentelemetry.MessagingAttributes.PROCESS;
import static dev.drover.opentelemetry.MessagingAttributes.SEND;
import static dev.drover.opentelemetry.MessagingAttributes.SYSTEM;
import static dev.drover.opentelemetry.MessagingAttributes.SYSTEM_NAME;

/**
 * Traces Drover's work with OpenTelemetry, after the semantic conventions for messaging. Bind it to a Drover with
 * {@link #bind(Drover, OpenTelemetry)} (or {@link #builder} for options); or, as an {@link Instrumentation}, to one
 * worker with {@link dev.drover.api.worker.Worker.Builder#instrument}.
 * <p>
 * <b>Push.</b> Each push through a {@link dev.drover.api.TaskQueue} is a span {@code send <queue>} of kind
 * {@link SpanKind#PRODUCER}, a child of the span current on the pushing thread, with {@code messaging.system} =
 * {@code drover}, {@code messaging.operation.type} and {@code messaging.operation.name} = {@code send},
 * {@code messaging.destination.name} = the queue, and {@code messaging.message.id} = the task's id for a push of one
 * task or {@code messaging.batch.message_count} for a push of several. Its context is written into the metadata of
 * every task of the push by the propagator (by default the one the {@code OpenTelemetry} is configured with, or W3C
 * {@code traceparent}/{@code tracestate} if it has none), so it travels with the task to whatever process runs it. A
 * push that fails records its error on the span (status ERROR, {@code error.type}); unique-key duplicates are counted
 * in {@code drover.push.duplicates}.
 * <p>
 * <b>Run.</b> Each run of a handler is a span {@code process <queue>} of kind {@link SpanKind#CONSUMER}, current on the
 * handler's thread while the handler runs (so spans the handler makes are its children, and {@link Span#current()} in
 * the handler is this span), with {@code messaging.operation.type} and {@code messaging.operation.name} =
 * {@code process}, the queue, {@code messaging.message.id} = the task's id, {@code messaging.client.id} = the worker's
 * id, {@code drover.task.attempt} (from 1), {@code drover.task.max_attempts} and, once the run is decided,
 * {@code drover.task.outcome} (a {@link RunOutcome.Kind} name: {@code COMPLETED}, {@code RETRYING}, {@code DEAD},
 * {@code OVERTAKEN}, {@code UNDECODABLE}). When the handler threw (or the payload could not be decoded) the error is
 * recorded on the span ({@link Span#recordException}, {@code error.type}) and its status is ERROR.
 * <p>
 * <b>Parent and link.</b> The run span is a child of the push's span, and also links to it. A child, because a task
 * runs once per attempt and its work belongs to the request that pushed it: the handler's spans then show in that
 * trace, in whatever process they ran. A link too, because the messaging conventions ask consumers to link to the
 * message's creation context (parenting is the optional part, fit for one message at a time, which is how Drover runs
 * tasks), and tools that follow links then find the push either way. An application whose tasks run long after they
 * were pushed (schedules, long delays) and that wants each run to start a trace of its own turns parenting off with
 * {@link Builder#childOfProducer(boolean)}: the run span is then a root span with the link alone. Baggage in the
 * task's context is current in the handler either way.
 * <p>
 * <b>Not traced at push.</b> Tasks the runtime pushes (follow-ups of a completion, scheduled ticks, workflow steps) do
 * not go through {@code TaskQueue.push}, so they get no producer span and carry no context: their runs are root spans.
 * A task that carries no context, or one a propagator cannot read, is run in a root span too.
 */
public final class DroverTracing implements Instrumentation {
    /** The instrumentation scope name of Drover's spans (also this module's name). */
    public static final String INSTRUMENTATION_NAME = "dev.drover.opentelemetry";

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean childOfProducer;

    private DroverTracing(Builder b) {
        TracerBuilder tracerBuilder = b.openTelemetry.tracerBuilder(INSTRUMENTATION_NAME);
        String version = version();
        if (version != null) tracerBuilder.setInstrumentationVersion(version);
        this.tracer = tracerBuilder.build();
        this.propagator = b.propagator != null ? b.propagator : configuredOrW3c(b.openTelemetry);
        this.childOfProducer = b.childOfProducer;
    }

    /**
     * Traces the pushes and runs of {@code drover} (its queues and workers, also those made before) with
     * {@code openTelemetry}'s tracer and propagator; close what this returns to stop.
     */
    public static Instrumentation.Binding bind(Drover drover, OpenTelemetry openTelemetry) {
        return builder(openTelemetry).bind(drover);
    }

    /** Options: the propagator, whether a run's span is a child of its push's span. */
    public static Builder builder(OpenTelemetry openTelemetry) {
        return new Builder(openTelemetry);
    }

    /** This module's version: its module's on the module path, its jar manifest's on the class path; null if neither says. */
    private static String version() {
        Module module = DroverTracing.class.getModule();
        if (module.isNamed() && module.getDescriptor().rawVersion().isPresent()) return module.getDescriptor().rawVersion().get();
        return DroverTracing.class.getPackage().getImplementationVersion();
    }

    /** The propagator the OpenTelemetry is configured with; W3C trace context when it has none (the SDK's default). */
    private static TextMapPropagator configuredOrW3c(OpenTelemetry openTelemetry) {
        TextMapPropagator configured = openTelemetry.getPropagators().getTextMapPropagator();
        return configured.fields().isEmpty() ? W3CTraceContextPropagator.getInstance() : configured;
    }

    /** Starts the producer span of a push; {@link PushSpan} writes its context into the tasks' metadata. */
    @Override
    public PushObservation onPush(QueueName queue, List<NewTask> tasks) {
        Context parent = Context.current();
        SpanBuilder span = tracer.spanBuilder(SEND + " " + queue.value())
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(parent)
                .setAttribute(SYSTEM, SYSTEM_NAME)
                .setAttribute(OPERATION_TYPE, SEND)
                .setAttribute(OPERATION_NAME, SEND)
                .setAttribute(DESTINATION_NAME, queue.value());
        if (tasks.size() == 1) {
            span.setAttribute(MESSAGE_ID, tasks.getFirst().id().value());
        } else {
            span.setAttribute(BATCH_MESSAGE_COUNT, (long) tasks.size());
        }
        return new PushSpan(span.startSpan(), parent, propagator);
    }

    /** Runs the handler inside the consumer span of this run, current on this (the handler's) thread. */
    @Override
    public void aroundRun(TaskRun run) {
        TaskRecord task = run.task();
        Context producer = propagator.extract(Context.root(), task.metadata(), MetadataCarrier.INSTANCE);
        SpanContext producerSpan = Span.fromContext(producer).getSpanContext();
        SpanBuilder builder = tracer.spanBuilder(PROCESS + " " + task.queue().value())
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, SYSTEM_NAME)
                .setAttribute(OPERATION_TYPE, PROCESS)
                .setAttribute(OPERATION_NAME, PROCESS)
                .setAttribute(DESTINATION_NAME, task.queue().value())
                .setAttribute(MESSAGE_ID, task.id().value())
                .setAttribute(CLIENT_ID, run.worker().value())
                .setAttribute(ATTEMPT, (long) task.attempt())
                .setAttribute(MAX_ATTEMPTS, (long) task.maxAttempts());
        if (childOfProducer) {
            builder.setParent(producer); // the root context when the task carries none: then a root span
        } else {
            builder.setNoParent();
        }
        if (producerSpan.isValid()) builder.addLink(producerSpan);
        Span span = builder.startSpan();
        try (Scope ignored = producer.with(span).makeCurrent()) {
            RunOutcome outcome = run.proceed();
            span.setAttribute(OUTCOME, outcome.kind().name());
            if (outcome.error() != null) {
                failed(span, outcome.error());
            } else if (outcome.kind() == RunOutcome.Kind.DEAD || outcome.kind() == RunOutcome.Kind.UNDECODABLE) {
                span.setStatus(StatusCode.ERROR, "task " + task.id() + " is dead");
            }
        } catch (RuntimeException | Error e) { // proceed does not throw; if it ever does, the span says so and ends
            failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** Records {@code error} on {@code span}: the exception event, {@code error.type}, and status ERROR with its message. */
    static void failed(Span span, Throwable error) {
        span.recordException(error);
        span.setAttribute(ERROR_TYPE, error.getClass().getName());
        span.setStatus(StatusCode.ERROR, error.getMessage() != null ? error.getMessage() : error.getClass().getName());
    }

    @Override
    public String toString() {
        return "DroverTracing[propagator=" + propagator + ", childOfProducer=" + childOfProducer + "]";
    }

    /** Options of a {@link DroverTracing}; each has a default, so {@code builder(otel).bind(drover)} is complete. */
    public static final class Builder {
        private final OpenTelemetry openTelemetry;
        private TextMapPropagator propagator;
        private boolean childOfProducer = true;

        private Builder(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry,
                    "openTelemetry is null: pass the application's OpenTelemetry (GlobalOpenTelemetry.get(), or the SDK it built)");
        }

        /**
         * How the trace context is written into and read from a task's metadata. Default: the OpenTelemetry's configured
         * text map propagator, or W3C trace context ({@code traceparent}, {@code tracestate}) when none is configured.
         * Pushers and workers must agree on it.
         */
        public Builder propagator(TextMapPropagator propagator) {
            this.propagator = Objects.requireNonNull(propagator, "propagator is null: pass a TextMapPropagator, such as "
                    + "W3CTraceContextPropagator.getInstance(), or leave it out for the default");
            return this;
        }

        /**
         * Whether a run's span is a child of its push's span (default true) or a root span of its own; it links to the
         * push's span either way. See {@link DroverTracing} for why.
         */
        public Builder childOfProducer(boolean childOfProducer) {
            this.childOfProducer = childOfProducer;
            return this;
        }

        /** The instrumentation, to bind to a Drover ({@link Drover#instrument}) or to a worker. */
        public DroverTracing build() {
            return new DroverTracing(this);
        }

        /** Builds it and binds it to {@code drover}; close what this returns to stop tracing. */
        public Instrumentation.Binding bind(Drover drover) {
            Objects.requireNonNull(drover, "drover is null: pass the Drover whose pushes and runs to trace");
            return drover.instrument(build());
        }
    }
}
