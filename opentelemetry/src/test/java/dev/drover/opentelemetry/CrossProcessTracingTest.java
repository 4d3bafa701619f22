package dev.drover.opentelemetry;

import dev.drover.api.Drover;
import dev.drover.api.TaskQueue;
import dev.drover.api.instrument.Instrumentation;
import dev.drover.api.worker.Worker;
import dev.drover.conformance.ChildJvm;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.drover.opentelemetry.RecordedSpans.WAIT;
import static dev.drover.opentelemetry.RecordedSpans.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace context travels with the task, not in memory: a task pushed (inside a span) by another JVM, with its own
 * SDK, is run here in a consumer span whose parent and link are that JVM's producer span, in that JVM's trace.
 */
class CrossProcessTracingTest {
    private static final Duration CHILD_WAIT = Duration.ofSeconds(60); // a cold JVM on a busy 2-core machine

    @TempDir
    Path dir;

    private final RecordedSpans spans = new RecordedSpans();

    @AfterEach
    void closeSdk() {
        spans.close();
    }

    @Test
    void aTaskPushedInAnotherJvmRunsInAConsumerSpanChildOfAndLinkedToThatJvmsProducerSpan() throws Exception {
        String url = "sqlite:" + dir.resolve("shared.db");
        try (Drover drover = Drover.open(url); Instrumentation.Binding ignored = DroverTracing.bind(drover, spans.openTelemetry)) {
            TaskQueue<String> emails = drover.queue("emails", String.class);
            CompletableFuture<SpanContext> currentInHandler = new CompletableFuture<>();
            try (Worker<String> w = drover.worker(emails, task -> currentInHandler.complete(Span.current().getSpanContext()))
                    .pollInterval(Duration.ofMillis(10), Duration.ofMillis(100)).start();
                 ChildJvm child = ChildJvm.start(TracedPusherMain.class, dir.resolve("logs"), url, "emails")) {
                String[] request = child.awaitLineStartingWith("REQUEST ", CHILD_WAIT).split(" ");
                String[] send = child.awaitLineStartingWith("SEND ", CHILD_WAIT).split(" ");
                String taskId = child.awaitLineStartingWith("PUSHED ", CHILD_WAIT).split(" ")[1];
                assertThat(child.awaitExit(CHILD_WAIT)).as("exit code of " + child).isZero();
                assertThat(send[1]).as("the child's producer span is in its request's trace").isEqualTo(request[1]);

                SpanData process = spans.awaitOne(named("process emails"), "consumer span of the task pushed by " + child);
                assertThat(process.getAttributes().get(DroverTracingTest.MESSAGE_ID)).isEqualTo(taskId);
                assertThat(process.getTraceId()).as("the run joins the child's trace").isEqualTo(send[1]);
                assertThat(process.getParentSpanContext().getSpanId()).as("parent: the child's producer span").isEqualTo(send[2]);
                assertThat(process.getParentSpanContext().isRemote()).as("a parent from another process").isTrue();
                assertThat(process.getLinks()).as("and a link to it").singleElement()
                        .satisfies(l -> assertThat(DroverTracingTest.ids(l.getSpanContext())).isEqualTo(send[1] + "/" + send[2]));
                assertThat(currentInHandler.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("Span.current() in the handler")
                        .isEqualTo(process.getSpanContext());
            }
        }
    }
}
