package dev.drover.spring.boot;

import dev.drover.api.Drover;
import dev.drover.api.TaskQueue;
import dev.drover.api.codec.Codec;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's queues, by name and payload type: {@code queues.get("emails", Email.class)}. Payloads go through
 * the application's own JSON mapper ({@link PayloadCodecs}); a push made inside a Spring-managed transaction on the
 * Drover's database joins it (see {@link DroverProperties#isJoinTransactions()}).
 */
public final class DroverQueues {
    private final Drover drover;
    private final PayloadCodecs codecs;
    private final Map<String, Typed<?>> queues = new ConcurrentHashMap<>();

    public DroverQueues(Drover drover, PayloadCodecs codecs) {
        this.drover = Objects.requireNonNull(drover, "drover");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
    }

    /**
     * The queue {@code name} whose payloads are {@code type} as JSON.
     *
     * @throws IllegalArgumentException when the queue was asked for before with another payload type
     */
    @SuppressWarnings("unchecked")
    public <T> TaskQueue<T> get(String name, Class<T> type) {
        Objects.requireNonNull(type, "type");
        Typed<?> typed = queues.computeIfAbsent(name, n -> new Typed<>(drover.queue(n, codecs.forType(type)), type));
        if (!typed.type().equals(type)) {
            throw new IllegalArgumentException("queue " + name + " was asked for with payload type " + typed.type().getName() + " and now with "
                    + type.getName() + ": one queue holds one payload type");
        }
        return (TaskQueue<T>) typed.queue();
    }

    /** A queue whose payloads another codec reads and writes. */
    public <T> TaskQueue<T> get(String name, Codec<T> codec) {
        return drover.queue(name, codec);
    }

    private record Typed<T>(TaskQueue<T> queue, Class<T> type) { }
}
