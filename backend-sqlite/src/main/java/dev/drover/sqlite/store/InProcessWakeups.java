package dev.drover.sqlite.store;

import dev.drover.api.QueueName;
import dev.drover.spi.WakeupSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wake-ups within one JVM: after a write that makes work due commits, the backend signals the queues it touched
 * and every subscriber of those queues is called. Backends open on the same database share one instance, found
 * by a key (the canonical path of the file), so a push through one backend wakes workers of another in the same
 * JVM. Other processes are not reached; their workers find the work by polling.
 */
public final class InProcessWakeups implements WakeupSource {
    private static final Logger log = LoggerFactory.getLogger(InProcessWakeups.class);
    private static final Map<String, InProcessWakeups> SHARED = new ConcurrentHashMap<>();

    private final String key; // null for a private instance
    private final Map<QueueName, List<Listener>> listeners = new ConcurrentHashMap<>();
    private int users; // guarded by SHARED's compute for this key

    private InProcessWakeups(String key) {
        this.key = key;
    }

    /**
     * The instance shared by every user of {@code key} in this JVM (for example {@code "sqlite:" + canonical path}).
     * Each call must be matched by one {@link #release()}.
     */
    public static InProcessWakeups acquire(String key) {
        Objects.requireNonNull(key, "key");
        return SHARED.compute(key, (k, existing) -> {
            InProcessWakeups hub = existing != null ? existing : new InProcessWakeups(k);
            hub.users++;
            return hub;
        });
    }

    /** An instance of its own, for a database no one else can reach (in memory). */
    public static InProcessWakeups isolated() {
        return new InProcessWakeups(null);
    }

    /** Gives back what {@link #acquire(String)} gave; the last user's release forgets the key. */
    public void release() {
        if (key == null) return;
        SHARED.computeIfPresent(key, (k, hub) -> {
            if (hub != this) return hub;
            hub.users--;
            return hub.users <= 0 ? null : hub;
        });
    }

    @Override
    public Subscription subscribe(QueueName queue, Runnable listener) {
        Objects.requireNonNull(queue, "queue");
        Listener entry = new Listener(Objects.requireNonNull(listener, "listener"));
        listeners.computeIfAbsent(queue, q -> new CopyOnWriteArrayList<>()).add(entry);
        return () -> {
            if (entry.closed.compareAndSet(false, true)) {
                List<Listener> current = listeners.get(queue);
                if (current != null) current.remove(entry);
            }
        };
    }

    /** Calls the subscribers of each queue once, on this thread. A failing subscriber is logged and the others still run. */
    public void signal(Collection<QueueName> queues) {
        for (QueueName queue : new LinkedHashSet<>(queues)) {
            List<Listener> subscribers = listeners.get(queue);
            if (subscribers == null) continue;
            for (Listener subscriber : subscribers) {
                if (subscriber.closed.get()) continue;
                try {
                    subscriber.runnable.run();
                } catch (RuntimeException e) {
                    log.warn("a wake-up subscriber of queue {} failed; the others were still called", queue, e);
                }
            }
        }
    }

    public void signal(QueueName queue) {
        signal(List.of(queue));
    }

    @Override
    public String toString() {
        return "InProcessWakeups[" + (key == null ? "private" : key) + "]";
    }

    private static final class Listener {
        final Runnable runnable;
        final AtomicBoolean closed = new AtomicBoolean();

        Listener(Runnable runnable) {
            this.runnable = runnable;
        }
    }
}
