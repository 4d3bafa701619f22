package dev.drover.api;

import dev.drover.api.instrument.Instrumentation;
import dev.drover.api.worker.Worker;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The instrumentations bound to one {@link Drover}, as one: its queues and workers hold this, so an instrumentation
 * bound later applies to them too. It keeps the Drover's running workers, so one bound while they run hears of them.
 */
final class DroverInstruments {
    private final List<Instrumentation> bound = new CopyOnWriteArrayList<>();
    private final Set<Worker<?>> running = ConcurrentHashMap.newKeySet();
    /** Every bound instrumentation, read anew on each call; what queues and workers call. */
    private final Instrumentation all = Instrumentation.all(bound);
    /** What workers are given: the bound ones, and the Drover's own record of running workers. */
    private final Instrumentation forWorkers = new Instrumentation() {
        @Override
        public void onWorkerStarted(Worker<?> worker) {
            running.add(worker);
            all.onWorkerStarted(worker);
        }

        @Override
        public void onWorkerStopped(Worker<?> worker) {
            running.remove(worker);
            all.onWorkerStopped(worker);
        }

        @Override
        public void onEvent(dev.drover.api.worker.WorkerEvent event) {
            all.onEvent(event);
        }

        @Override
        public void aroundRun(dev.drover.api.instrument.TaskRun run) {
            all.aroundRun(run);
        }
    };

    boolean any() {
        return !bound.isEmpty();
    }

    Instrumentation all() {
        return all;
    }

    Instrumentation forWorkers() {
        return forWorkers;
    }

    Instrumentation.Binding bind(Instrumentation instrumentation) {
        Objects.requireNonNull(instrumentation, "instrumentation");
        bound.add(instrumentation);
        for (Worker<?> worker : running) {
            Instrumentation.all(List.of(instrumentation)).onWorkerStarted(worker);
        }
        return () -> bound.remove(instrumentation);
    }
}
