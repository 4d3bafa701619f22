package dev.drover.api.instrument;

import dev.drover.api.CancelResult;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.WorkerId;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link Instrumentation#all}: calls each instrumentation in order, each in isolation: one that throws is logged and
 * skipped. A run is wrapped by the first, which wraps the second's, and so on; the handler runs once.
 */
final class InstrumentationChain implements Instrumentation {
    private static final Logger LOG = LoggerFactory.getLogger(Instrumentation.class);

    private final List<? extends Instrumentation> instrumentations;

    InstrumentationChain(List<? extends Instrumentation> instrumentations) {
        this.instrumentations = Objects.requireNonNull(instrumentations, "instrumentations");
    }

    private List<Instrumentation> snapshot() {
        return List.copyOf(instrumentations);
    }

    @Override
    public PushObservation onPush(QueueName queue, List<NewTask> tasks) {
        List<Instrumentation> all = snapshot();
        if (all.isEmpty()) return PushObservation.NONE;
        List<PushObservation> observations = new ArrayList<>(all.size());
        for (Instrumentation i : all) {
            try {
                PushObservation o = i.onPush(queue, tasks);
                if (o != null && o != PushObservation.NONE) observations.add(o);
            } catch (RuntimeException e) {
                failed(i, "a push to " + queue, e);
            }
        }
        if (observations.isEmpty()) return PushObservation.NONE;
        if (observations.size() == 1) return guarded(observations.getFirst());
        return new PushObservation() {
            @Override
            public Map<String, String> metadata() {
                Map<String, String> all = new LinkedHashMap<>();
                for (PushObservation o : observations) {
                    try {
                        o.metadata().forEach(all::putIfAbsent);
                    } catch (RuntimeException e) {
                        InstrumentationChain.failed(o, "the metadata of a push", e);
                    }
                }
                return all;
            }

            @Override
            public void stored(int stored, int duplicates) {
                for (PushObservation o : observations) guarded(o).stored(stored, duplicates);
            }

            @Override
            public void failed(Throwable error) {
                for (PushObservation o : observations) guarded(o).failed(error);
            }
        };
    }

    private static PushObservation guarded(PushObservation o) {
        return new PushObservation() {
            @Override
            public Map<String, String> metadata() {
                try {
                    Map<String, String> m = o.metadata();
                    return m == null ? Map.of() : m;
                } catch (RuntimeException e) {
                    InstrumentationChain.failed(o, "the metadata of a push", e);
                    return Map.of();
                }
            }

            @Override
            public void stored(int stored, int duplicates) {
                try {
                    o.stored(stored, duplicates);
                } catch (RuntimeException e) {
                    InstrumentationChain.failed(o, "a stored push", e);
                }
            }

            @Override
            public void failed(Throwable error) {
                try {
                    o.failed(error);
                } catch (RuntimeException e) {
                    InstrumentationChain.failed(o, "a failed push", e);
                }
            }
        };
    }

    @Override
    public void onCancel(QueueName queue, TaskId id, CancelResult result) {
        for (Instrumentation i : snapshot()) {
            try {
                i.onCancel(queue, id, result);
            } catch (RuntimeException e) {
                failed(i, "the cancel of task " + id, e);
            }
        }
    }

    @Override
    public void onWorkerStarted(Worker<?> worker) {
        for (Instrumentation i : snapshot()) {
            try {
                i.onWorkerStarted(worker);
            } catch (RuntimeException e) {
                failed(i, "the start of worker " + worker.id(), e);
            }
        }
    }

    @Override
    public void onWorkerStopped(Worker<?> worker) {
        for (Instrumentation i : snapshot()) {
            try {
                i.onWorkerStopped(worker);
            } catch (RuntimeException e) {
                failed(i, "the stop of worker " + worker.id(), e);
            }
        }
    }

    @Override
    public void onEvent(WorkerEvent event) {
        for (Instrumentation i : snapshot()) {
            try {
                i.onEvent(event);
            } catch (RuntimeException e) {
                failed(i, event.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public void aroundRun(TaskRun run) {
        around(snapshot(), 0, run);
    }

    private static RunOutcome around(List<Instrumentation> all, int index, TaskRun run) {
        if (index == all.size()) return run.proceed();
        Instrumentation i = all.get(index);
        Once next = new Once(run, () -> around(all, index + 1, run));
        try {
            i.aroundRun(next);
        } catch (Throwable e) { // an Error too: the run must still proceed, or its task would wait for its lease to end
            failed(i, "the run of task " + run.task().id(), e);
        }
        return next.proceed(); // the outcome, or the run itself if this instrumentation did not proceed
    }

    /** A run that proceeds through the rest of the chain once, and returns that outcome on every call. */
    private static final class Once implements TaskRun {
        private final TaskRun run;
        private final java.util.function.Supplier<RunOutcome> rest;
        private RunOutcome outcome;

        Once(TaskRun run, java.util.function.Supplier<RunOutcome> rest) {
            this.run = run;
            this.rest = rest;
        }

        @Override
        public WorkerId worker() {
            return run.worker();
        }

        @Override
        public TaskRecord task() {
            return run.task();
        }

        @Override
        public RunOutcome proceed() {
            if (outcome == null) outcome = rest.get();
            return outcome;
        }
    }

    static void failed(Object instrumentation, String what, Throwable e) {
        LOG.warn("instrumentation {} failed on {} (ignored): {}", instrumentation.getClass().getName(), what, e.toString(), e);
    }
}
