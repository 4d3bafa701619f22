package dev.drover.opentelemetry;

import dev.drover.api.Drover;
import dev.drover.api.TaskId;
import dev.drover.api.instrument.Instrumentation;
import dev.drover.conformance.child.ChildSupport;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * A child JVM that pushes one task inside a span of its own, with DroverTracing bound to its own OpenTelemetry SDK, as
 * a web application would. Arguments: URL, queue. It prints {@code REQUEST <trace id> <span id>} for the span around
 * the push, {@code SEND <trace id> <span id>} for the producer span it exported, {@code PUSHED <task id>}, then exits 0.
 */
public final class TracedPusherMain {
    private TracedPusherMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: TracedPusherMain <url> <queue>");
            System.exit(64);
        }
        ChildSupport.watchParent();
        try (RecordedSpans spans = new RecordedSpans();
             Drover drover = Drover.open(args[0]);
             Instrumentation.Binding ignored = DroverTracing.bind(drover, spans.openTelemetry)) {
            Span request = spans.openTelemetry.getTracer("child").spanBuilder("request").startSpan();
            TaskId id;
            try (Scope s = request.makeCurrent()) {
                id = drover.queue(args[1], String.class).push("from pid " + ProcessHandle.current().pid());
            } finally {
                request.end();
            }
            SpanData send = spans.awaitOne(s -> s.getKind() == SpanKind.PRODUCER, "producer span");
            ChildSupport.say("REQUEST " + request.getSpanContext().getTraceId() + " " + request.getSpanContext().getSpanId());
            ChildSupport.say("SEND " + send.getTraceId() + " " + send.getSpanId());
            ChildSupport.say("PUSHED " + id.value());
        }
        System.exit(0);
    }
}
