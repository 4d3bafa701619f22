package dev.drover.opentelemetry;

import dev.drover.conformance.Await;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real OpenTelemetry SDK whose ended spans are kept in memory (exported synchronously as each span ends), and ways to
 * wait for them: a span ends on the handler's thread after the test's condition may already hold.
 */
final class RecordedSpans implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final OpenTelemetrySdk openTelemetry;

    /** An SDK with no propagators configured (the SDK's default): Drover falls back to W3C trace context. */
    RecordedSpans() {
        this(ContextPropagators.noop());
    }

    RecordedSpans(ContextPropagators propagators) {
        openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(propagators)
                .build();
    }

    List<SpanData> all() {
        return exporter.getFinishedSpanItems();
    }

    List<SpanData> matching(Predicate<SpanData> match) {
        return all().stream().filter(match).toList();
    }

    /** Waits until {@code count} ended spans match, and returns them in the order they ended. */
    List<SpanData> await(int count, Predicate<SpanData> match, String what) {
        Await.until(WAIT, () -> matching(match).size() >= count, count + " " + what + " ended; ended so far: " + names());
        return matching(match);
    }

    SpanData awaitOne(Predicate<SpanData> match, String what) {
        return await(1, match, what).getFirst();
    }

    static Predicate<SpanData> kind(SpanKind kind) {
        return s -> s.getKind() == kind;
    }

    static Predicate<SpanData> named(String name) {
        return s -> s.getName().equals(name);
    }

    private List<String> names() {
        return all().stream().map(SpanData::getName).toList();
    }

    @Override
    public void close() {
        openTelemetry.close();
    }
}
