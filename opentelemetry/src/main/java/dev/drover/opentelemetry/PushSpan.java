package dev.drover.opentelemetry;

import dev.drover.api.instrument.PushObservation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The producer span of one push ("send &lt;queue&gt;"): started when the push begins, its context written into the
 * metadata of every task of the push, ended when the push returns (or failed, with the error recorded).
 */
final class PushSpan implements PushObservation {
    private final Span span;
    private final Context context;
    private final TextMapPropagator propagator;
    private Map<String, String> metadata; // made once: every task of the push carries the same context

    PushSpan(Span span, Context parent, TextMapPropagator propagator) {
        this.span = span;
        this.context = parent.with(span);
        this.propagator = propagator;
    }

    @Override
    public Map<String, String> metadata() {
        if (metadata == null) {
            Map<String, String> fields = new LinkedHashMap<>();
            propagator.inject(context, fields, MetadataCarrier.INSTANCE);
            metadata = Map.copyOf(fields);
        }
        return metadata;
    }

    @Override
    public void stored(int stored, int duplicates) {
        if (duplicates > 0) span.setAttribute(MessagingAttributes.DUPLICATES, duplicates);
        span.end();
    }

    @Override
    public void failed(Throwable error) {
        DroverTracing.failed(span, error);
        span.end();
    }
}
