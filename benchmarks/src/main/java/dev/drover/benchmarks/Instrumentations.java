package dev.drover.benchmarks;

import dev.drover.api.Drover;
import dev.drover.micrometer.DroverMetrics;
import dev.drover.opentelemetry.DroverTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code --instrument} binds to a run's Drover: Micrometer metrics (a {@link SimpleMeterRegistry}, as an
 * application's registry would record them), OpenTelemetry tracing (the SDK sampling every task, spans batched to an
 * exporter that counts and drops them: the cost of making and ending spans, not of a collector's network), or both.
 */
record Instrumentations(boolean metrics, boolean tracing) {
    static final Instrumentations NONE = new Instrumentations(false, false);

    /** Parses one {@code --instrument} value: none, metrics, tracing, or metrics+tracing. */
    static Instrumentations parse(String value) throws UsageException {
        return switch (value) {
            case "none" -> NONE;
            case "metrics" -> new Instrumentations(true, false);
            case "tracing" -> new Instrumentations(false, true);
            case "metrics+tracing", "both" -> new Instrumentations(true, true);
            default -> throw new UsageException("option --instrument takes none, metrics, tracing or metrics+tracing (got \"" + value + "\")");
        };
    }

    String suffix() {
        return (metrics ? "+metrics" : "") + (tracing ? "+tracing" : "");
    }

    String description() {
        List<String> parts = new ArrayList<>();
        if (metrics) parts.add("Micrometer metrics (SimpleMeterRegistry)");
        if (tracing) parts.add("OpenTelemetry tracing (SDK, every task sampled, spans batched to a counting exporter)");
        return String.join(" and ", parts);
    }

    /** Binds what this names to {@code drover}; closing the result unbinds it and shuts the SDK down. */
    AutoCloseable bind(Drover drover) {
        List<AutoCloseable> bound = new ArrayList<>();
        if (metrics) bound.add(DroverMetrics.bind(drover, new SimpleMeterRegistry()));
        if (tracing) {
            CountingExporter exporter = new CountingExporter();
            OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
                            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build())
                    .build();
            bound.add(sdk);
            bound.add(DroverTracing.bind(drover, sdk));
        }
        return () -> {
            for (int i = bound.size() - 1; i >= 0; i--) bound.get(i).close();
        };
    }

    /** Counts the spans it is given and drops them. */
    private static final class CountingExporter implements SpanExporter {
        final AtomicLong spans = new AtomicLong();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAndGet(batch.size());
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
