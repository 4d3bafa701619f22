package dev.drover.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters one binding registered, so that closing it removes exactly those (and never another binding's meters of the
 * same name). A meter asked for after the close is removed at once: an event racing the unbinding leaves nothing behind.
 */
final class MeterSet {
    private final MeterRegistry registry;
    private final Set<Meter> registered = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    MeterSet(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    boolean closed() {
        return closed;
    }

    <M extends Meter> M add(M meter) {
        registered.add(meter);
        if (closed) remove(meter);
        return meter;
    }

    void remove(Meter meter) {
        registered.remove(meter);
        registry.remove(meter);
    }

    /** Removes every meter this binding registered; later ones are removed as they come. */
    void close() {
        closed = true;
        for (Meter meter : registered) remove(meter);
    }
}
