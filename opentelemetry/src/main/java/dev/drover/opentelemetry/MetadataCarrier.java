package dev.drover.opentelemetry;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.Map;

/**
 * A task's metadata as the carrier of a propagated context: the propagator writes its fields ({@code traceparent},
 * {@code tracestate}, ...) into the metadata of a push and reads them back from the metadata of a claimed task. Every
 * backend stores metadata, so the context crosses processes with the task.
 */
enum MetadataCarrier implements TextMapSetter<Map<String, String>>, TextMapGetter<Map<String, String>> {
    INSTANCE;

    @Override
    public void set(Map<String, String> metadata, String key, String value) {
        if (metadata != null && key != null && value != null) metadata.put(key, value);
    }

    @Override
    public Iterable<String> keys(Map<String, String> metadata) {
        return metadata.keySet();
    }

    @Override
    public String get(Map<String, String> metadata, String key) {
        return metadata == null || key == null ? null : metadata.get(key);
    }
}
