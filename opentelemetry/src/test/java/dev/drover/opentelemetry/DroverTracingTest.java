package dev.drover.opentelemetry;

import dev.drover.api.Drover;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.instrument.Instrumentation;
import dev.drover.api.worker.RetryPolicy;
import dev.drover.api.worker.Worker;
import dev.drover.conformance.Await;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.drover.opentelemetry.RecordedSpans.WAIT;
import static dev.drover.opentelemetry.RecordedSpans.kind;
import static dev.drover.opentelemetry.RecordedSpans.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What DroverTracing records, on a real SQLite file and a real OpenTelemetry SDK with an in-memory exporter: the
 * producer span of a push and the context it leaves in the task's metadata, and the consumer span of each run.
 */
class DroverTracingTest {
    // The names the messaging semantic conventions give, spelled out here so a change of them in the code shows.
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    static final AttributeKey<String> CLIENT_ID = AttributeKey.stringKey("messaging.client.id");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("drover.task.attempt");
    static final AttributeKey<Long> MAX_ATTEMPTS = AttributeKey.longKey("drover.task.max_attempts");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("drover.task.outcome");

    @TempDir
    Path dir;

    private final RecordedSpans spans = new RecordedSpans();

    @AfterEach
    void closeSdk() {
        spans.close();
    }

    private String url() {
        return "sqlite:" + dir.resolve("tracing.db");
    }

    private static <T> Worker<T> worker(Drover drover, TaskQueue<T> queue, dev.drover.api.TaskHandler<T> handler) {
        return drover.worker(queue, handler)
                .pollInterval(Duration.ofMillis(10), Duration.ofMillis(100))
                .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(10)))
                .start();
    }

    /** Runs {@code push} inside a span "request" (as a web request's handler would) and returns that span's context. */
    private SpanContext inRequest(OpenTelemetryAction push) {
        Tracer tracer = spans.openTelemetry.getTracer("test");
        Span request = tracer.spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            push.run();
        } finally {
            request.end();
        }
        return request.getSpanContext();
    }

    @FunctionalInterface
    interface OpenTelemetryAction {
        void run();
    }

    private static String traceparent(SpanContext span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    @Test
    void aPushOfOneTaskIsAProducerSpanNamedAfterItsQueueWithTheMessagingAttributes() {
        try (Drover drover = Drover.open(url()); Instrumentation.Binding ignored = DroverTracing.bind(drover, spans.openTelemetry)) {
            TaskQueue<String> emails = drover.queue("emails", String.class);
            AtomicReference<TaskId> id = new AtomicReference<>();
            SpanContext request = inRequest(() -> id.set(emails.push("hello")));

            SpanData send = spans.awaitOne(named("send emails"), "producer span");
            assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(send.getParentSpanContext()).as("parent: the span current where the push was made").isEqualTo(request);
            assertThat(send.getAttributes().get(SYSTEM)).isEqualTo("drover");
            assertThat(send.getAttributes().get(DESTINATION)).isEqualTo("emails");
            assertThat(send.getAttributes().get(OPERATION_TYPE)).isEqualTo("send");
            assertThat(send.getAttributes().get(OPERATION_NAME)).isEqualTo("send");
            assertThat(send.getAttributes().get(MESSAGE_ID)).isEqualTo(id.get().value());
            assertThat(send.getAttributes().get(BATCH_COUNT)).as("a push of one task is not a batch").isNull();
            assertThat(send.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

            Map<String, String> stored = emails.get(id.get()).orElseThrow().metadata();
            assertThat(stored).as("the W3C trace context of the producer span, stored with the task (no propagator configured)")
                    .containsEntry("traceparent", traceparent(send.getSpanContext()));
        }
    }

    @Test
    void aPushOfSeveralTasksIsOneProducerSpanCountingThemAndEachTaskCarriesItsContext() {
        try (Drover drover = Drover.open(url()); Instrumentation.Binding ignored = DroverTracing.bind(drover, spans.openTelemetry)) {
            TaskQueue<String> emails = drover.queue("emails", String.class);
            AtomicReference<List<TaskId>> ids = new AtomicReference<>();
            inRequest(() -> ids.set(emails.pushAll(List.of("a", "b", "c"))));

            SpanData send = spans.awaitOne(named("send emails"), "producer span");
            assertThat(send.getAttributes().get(BATCH_COUNT)).isEqualTo(3L);
            assertThat(send.getAttributes().get(MESSAGE_ID)).as("no single message id for a batch").isNull();
            for (TaskId id : ids.get()) {
                assertThat(emails.get(id).orElseThrow().metadata()).as("metadata of task " + id)
                        .containsEntry("traceparent", traceparent(send.getSpanContext()));
            }
            assertThat(spans.matching(kind(SpanKind.PRODUCER))).as("one span for the push, not one per task").hasSize(1);
        }
    }

    @Test
    void aPushOfATaskWhoseUniqueKeyIsTakenCountsTheDuplicateOnItsProducerSpan() {
        try (Drover drover = Drover.open(url()); Instrumentation.Binding ignored = DroverTracing.bind(drover, spans.openTelemetry)) {
            TaskQueue<String> emails = drover.queue("emails", String.class);
            emails.push("welcome", TaskOptions.defaults().unique("welcome:42"));
            emails.push("welcome again", TaskOptions.defaults().unique("welcome:42"));

            List<SpanData> sends = spans.await(2, named("send emails"), "producer spans");
            assertThat(sends).extracting(s -> s.getAttributes().get(AttributeKey.longKey("drover.push.duplicates")))
                    .as("duplicates: none on the first push, one on the second").containsExactly(null, 1L);
            assertThat(sends).extracting(s -> s.getStatus().getStatusCode()).as("a duplicate is not an error").containsOnly(StatusCode.UNSET);
        }
    }

    @Test
    void aPushThatFailsEndsItsProducerSpanInErrorWithTheFailure() throws Exception {
        try (Drover drover = Drover.open(url()); Instrumentation.Binding ignored = DroverTracing.bind(drover, spans.openTelemetry)) {
            TaskQueue<String> emails = drover.queue("emails", String.class);
            Connection closed = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tracing.db"));
            closed.close(); // a push in a transaction whose connection is gone fails, and stores nothing
            Throwable thrown = catchThrowable(() -> emails.push("lost", TaskOptions.defaults(), closed));
            assertThat(thrown).as("the push's failure").isNotNull();

            SpanData send = spans.awaitOne(named("send emails"), "producer span");
            assertThat(send.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(send.getAttributes().get(ERROR_TYPE)).isEqualTo(thrown.getClass().getName());
            assertThat(send.getEvents()).extracting(EventData::getName).containsExactly("exception");
        }
    }

    @Test
    void aWorkerBoundAloneRunsATaskPushedThroughAnotherDroverInThatPushsTrace() {
        try (Drover pusher = Drover.open(url()); Instrumentation.Binding ignored = DroverTracing.bind(pusher, spans.openTelemetry);
             Drover runner = Drover.open(url())) {
            SpanContext request = inRequest(() -> pusher.queue("emails", String.class).push("hello"));
            TaskQueue<String> emails = runner.queue("emails", String.class);
            try (Worker<String> w = runner.worker(emails, task -> { }).instrument(DroverTracing.builder(spans.openTelemetry).build())
                    .pollInterval(Duration.ofMillis(10), Duration.ofMillis(100)).start()) {
                SpanData process = spans.awaitOne(named("process emails"), "consumer span");
                SpanData send = spans.awaitOne(named("send emails"), "producer span");
                assertThat(process.getTraceId()).isEqualTo(request.getTraceId());
                assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
            }
        }
    }

    @Test
    void aRunIsAConsumerSpanChildOfAndLinkedToThePushAndCurrentWhileTheHandlerRuns() throws Exception {
        try (Drover drover = Drover.open(url()); Instrumentation.Binding ignored = DroverTracing.bind(drover, spans.openTelemetry)) {
            TaskQueue<String> emails = drover.queue("emails", String.class);
            CompletableFuture<SpanContext> currentInHandler = new CompletableFuture<>();
            Tracer handlerTracer = spans.openTelemetry.getTracer("handler");
            AtomicReference<TaskId> id = new AtomicReference<>();
            SpanContext request = inRequest(() -> id.set(emails.push("hello")));
            try (Worker<String> w = worker(drover, emails, task -> {
                currentInHandler.complete(Span.current().getSpanContext());
                handlerTracer.spanBuilder("render email").startSpan().end(); // the handler's own work
            })) {
                SpanData process = spans.awaitOne(named("process emails"), "consumer span");
                SpanData send = spans.awaitOne(named("send emails"), "producer span");
                SpanData render = spans.awaitOne(named("render email"), "the handler's own span");

                assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
                assertThat(process.getTraceId()).as("the run joins the trace that pushed it").isEqualTo(request.getTraceId());
                assertThat(process.getParentSpanId()).as("parent: the producer span").isEqualTo(send.getSpanId());
                assertThat(process.getLinks()).as("and a link to it").singleElement()
                        .satisfies(l -> assertThat(ids(l.getSpanContext())).isEqualTo(ids(send.getSpanContext())));
                assertThat(currentInHandler.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("Span.current() in the handler")
                        .isEqualTo(process.getSpanContext());
                assertThat(render.getParentSpanId()).as("the handler's spans are children of the run's").isEqualTo(process.getSpanId());

                assertThat(process.getAttributes().get(SYSTEM)).isEqualTo("drover");
                assertThat(process.getAttributes().get(DESTINATION)).isEqualTo("emails");
                assertThat(process.getAttributes().get(OPERATION_TYPE)).isEqualTo("process");
                assertThat(process.getAttributes().get(OPERATION_NAME)).isEqualTo("process");
                assertThat(process.getAttributes().get(MESSAGE_ID)).isEqualTo(id.get().value());
                assertThat(process.getAttributes().get(CLIENT_ID)).isEqualTo(w.id().value());
                assertThat(process.getAttributes().get(ATTEMPT)).isEqualTo(1L);
                assertThat(process.getAttributes().get(OUTCOME)).isEqualTo("COMPLETED");
                assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
                assertThat(process.getEvents()).as("no exception recorded").isEmpty();
            }
        }
    }

    @Test
    void eachAttemptOfARetriedTaskIsASpanWithItsAttemptNumberAndOutcome() {
        try (Drover drover = Drover.open(url()); Instrumentation.Binding ignored = DroverTracing.bind(drover, spans.openTelemetry)) {
            TaskQueue<String> emails = drover.queue("emails", String.class);
            emails.push("flaky", TaskOptions.defaults().maxAttempts(3));
            try (Worker<String> w = worker(drover, emails, task -> {
                if (task.attempt() < 3) throw new IllegalStateException("mail server busy on attempt " + task.attempt());
            })) {
                List<SpanData> runs = byAttempt(spans.await(3, named("process emails"), "consumer spans (one per attempt)"));
                SpanData send = spans.awaitOne(named("send emails"), "producer span");

                assertThat(runs).extracting(s -> s.getAttributes().get(ATTEMPT)).containsExactly(1L, 2L, 3L);
                assertThat(runs).extracting(s -> s.getAttributes().get(OUTCOME)).containsExactly("RETRYING", "RETRYING", "COMPLETED");
                assertThat(runs).extracting(s -> s.getAttributes().get(MAX_ATTEMPTS)).containsOnly(3L);
                assertThat(runs).extracting(SpanData::getParentSpanId).as("every attempt is a child of the one push")
                        .containsOnly(send.getSpanId());
                for (SpanData failed : runs.subList(0, 2)) {
                    assertThat(failed.getStatus().getStatusCode()).as("attempt " + failed.getAttributes().get(ATTEMPT)).isEqualTo(StatusCode.ERROR);
                    assertThat(failed.getAttributes().get(ERROR_TYPE)).isEqualTo(IllegalStateException.class.getName());
                    assertThat(exceptionMessages(failed)).containsExactly("mail server busy on attempt " + failed.getAttributes().get(ATTEMPT));
                }
                assertThat(runs.get(2).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
                assertThat(exceptionMessages(runs.get(2))).isEmpty();
            }
        }
    }

    @Test
    void theLastSpanOfADeadTaskHasStatusErrorWithTheHandlersException() {
        try (Drover drover = Drover.open(url()); Instrumentation.Binding ignored = DroverTracing.bind(drover, spans.openTelemetry)) {
            TaskQueue<String> emails = drover.queue("emails", String.class);
            TaskId id = emails.push("bounce", TaskOptions.defaults().maxAttempts(2));
            try (Worker<String> w = worker(drover, emails, task -> {
                throw new IllegalArgumentException("no such mailbox");
            })) {
                List<SpanData> runs = byAttempt(spans.await(2, named("process emails"), "consumer spans (one per attempt)"));
                Await.until(WAIT, () -> emails.get(id).orElseThrow().state() == dev.drover.api.TaskState.DEAD, "task " + id + " is DEAD");

                SpanData last = runs.getLast();
                assertThat(last.getAttributes().get(ATTEMPT)).isEqualTo(2L);
                assertThat(last.getAttributes().get(OUTCOME)).isEqualTo("DEAD");
                assertThat(last.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
                assertThat(last.getStatus().getDescription()).isEqualTo("no such mailbox");
                assertThat(last.getAttributes().get(ERROR_TYPE)).isEqualTo(IllegalArgumentException.class.getName());
                assertThat(exceptionMessages(last)).containsExactly("no such mailbox");
                assertThat(runs.getFirst().getAttributes().get(OUTCOME)).isEqualTo("RETRYING");
            }
        }
    }

    @Test
    void aTaskWhosePayloadCannotBeDecodedEndsItsSpanInErrorAsUndecodable() {
        try (Drover drover = Drover.open(url()); Instrumentation.Binding ignored = DroverTracing.bind(drover, spans.openTelemetry)) {
            drover.queue("numbers", String.class).push("not a number");
            TaskQueue<Integer> numbers = drover.queue("numbers", Integer.class);
            try (Worker<Integer> w = worker(drover, numbers, task -> { })) {
                SpanData process = spans.awaitOne(named("process numbers"), "consumer span");
                assertThat(process.getAttributes().get(OUTCOME)).isEqualTo("UNDECODABLE");
                assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
                assertThat(process.getAttributes().get(ERROR_TYPE)).as("the decoding error's class").isNotBlank();
                assertThat(process.getEvents()).extracting(EventData::getName).containsExactly("exception");
            }
        }
    }

    @Test
    void withoutParentingARunIsARootSpanLinkedToThePush() {
        try (Drover drover = Drover.open(url());
             Instrumentation.Binding ignored = DroverTracing.builder(spans.openTelemetry).childOfProducer(false).bind(drover)) {
            TaskQueue<String> emails = drover.queue("emails", String.class);
            SpanContext request = inRequest(() -> emails.push("hello"));
            try (Worker<String> w = worker(drover, emails, task -> { })) {
                SpanData process = spans.awaitOne(named("process emails"), "consumer span");
                SpanData send = spans.awaitOne(named("send emails"), "producer span");
                assertThat(process.getParentSpanContext().isValid()).as("a root span").isFalse();
                assertThat(process.getTraceId()).as("a trace of its own").isNotEqualTo(request.getTraceId());
                assertThat(process.getLinks()).singleElement()
                        .satisfies(l -> assertThat(ids(l.getSpanContext())).isEqualTo(ids(send.getSpanContext())));
            }
        }
    }

    @Test
    void theConfiguredPropagatorCarriesBaggageFromThePushToTheHandler() throws Exception {
        try (RecordedSpans withBaggage = new RecordedSpans(ContextPropagators.create(TextMapPropagator.composite(
                W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())));
             Drover drover = Drover.open(url());
             Instrumentation.Binding ignored = DroverTracing.bind(drover, withBaggage.openTelemetry)) {
            TaskQueue<String> emails = drover.queue("emails", String.class);
            TaskId id;
            try (Scope s = Baggage.builder().put("tenant", "acme").build().makeCurrent()) {
                id = emails.push("hello");
            }
            assertThat(emails.get(id).orElseThrow().metadata()).as("fields of both configured propagators")
                    .containsKeys("traceparent", "baggage");
            CompletableFuture<String> tenant = new CompletableFuture<>();
            try (Worker<String> w = worker(drover, emails, task -> tenant.complete(Baggage.current().getEntryValue("tenant")))) {
                assertThat(tenant.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("acme");
            }
        }
    }

    @Test
    void closingTheBindingStopsTracing() {
        try (Drover drover = Drover.open(url())) {
            TaskQueue<String> emails = drover.queue("emails", String.class);
            Instrumentation.Binding binding = DroverTracing.bind(drover, spans.openTelemetry);
            emails.push("traced");
            spans.awaitOne(named("send emails"), "producer span");
            binding.close();
            TaskId untraced = emails.push("not traced");
            assertThat(spans.matching(kind(SpanKind.PRODUCER))).as("producer spans after unbinding").hasSize(1);
            assertThat(emails.get(untraced).orElseThrow().metadata()).doesNotContainKey("traceparent");
        }
    }

    /** Trace and span id: what a link or parent must name (a context read back from metadata is "remote", the original is not). */
    static String ids(SpanContext span) {
        return span.getTraceId() + "/" + span.getSpanId();
    }

    private static List<SpanData> byAttempt(List<SpanData> runs) {
        return runs.stream().sorted(Comparator.comparing(s -> s.getAttributes().get(ATTEMPT))).toList();
    }

    private static List<String> exceptionMessages(SpanData span) {
        return span.getEvents().stream().filter(e -> e.getName().equals("exception"))
                .map(EventData::getAttributes)
                .map(a -> a.get(AttributeKey.stringKey("exception.message")))
                .toList();
    }

}
