package dev.drover.conformance;

import dev.drover.api.CancelResult;
import dev.drover.api.DoNotRetryException;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.instrument.Instrumentation;
import dev.drover.api.instrument.PushObservation;
import dev.drover.api.instrument.RunOutcome;
import dev.drover.api.instrument.TaskRun;
import dev.drover.api.worker.RetryPolicy;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;
import dev.drover.conformance.child.Message;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker rules W32-W33: what an {@link Instrumentation} bound to a Drover sees and may do ({@code SPEC.md}). Metrics and
 * tracing modules are built on these hooks, so every backend must carry what they add (metadata) and every worker must
 * report what they count.
 * <p>
 * A backend runs them through {@link WorkerContract}, whose nested class {@code Instrumentations} binds them to the
 * backend of the running test.
 */
abstract class InstrumentationWorkerRules {
    final WorkerContract kit;

    InstrumentationWorkerRules(WorkerContract kit) {
        this.kit = kit;
    }

    /** Records what it is told; adds metadata {@code kit-trace} to every push. */
    static final class Recorder implements Instrumentation {
        final List<String> pushes = new CopyOnWriteArrayList<>();
        final List<WorkerEvent> events = new CopyOnWriteArrayList<>();
        final List<String> lifecycle = new CopyOnWriteArrayList<>();
        final Map<String, RunOutcome> outcomes = new ConcurrentHashMap<>();
        final Map<String, Thread> runThreads = new ConcurrentHashMap<>();
        final List<String> cancels = new CopyOnWriteArrayList<>();

        @Override
        public PushObservation onPush(QueueName queue, List<NewTask> tasks) {
            String ids = tasks.stream().map(t -> t.id().value()).toList().toString();
            return new PushObservation() {
                @Override
                public Map<String, String> metadata() {
                    return Map.of("kit-trace", "pushed-with-" + tasks.size(), "tenant", "from-instrumentation");
                }

                @Override
                public void stored(int stored, int duplicates) {
                    pushes.add(ids + " stored " + stored + " duplicates " + duplicates);
                }

                @Override
                public void failed(Throwable error) {
                    pushes.add(ids + " failed");
                }
            };
        }

        @Override
        public void onCancel(QueueName queue, TaskId id, CancelResult result) {
            cancels.add(id.value() + " " + result.getClass().getSimpleName());
        }

        @Override
        public void onWorkerStarted(Worker<?> worker) {
            lifecycle.add("started " + worker.id().value());
        }

        @Override
        public void onWorkerStopped(Worker<?> worker) {
            lifecycle.add("stopped " + worker.id().value());
        }

        @Override
        public void onEvent(WorkerEvent event) {
            events.add(event);
        }

        @Override
        public void aroundRun(TaskRun run) {
            runThreads.put(run.task().id().value() + "#" + run.task().attempt(), Thread.currentThread());
            RunOutcome outcome = run.proceed();
            outcomes.put(run.task().id().value() + "#" + run.task().attempt(), outcome);
        }

        <E extends WorkerEvent> List<E> events(Class<E> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    @Test
    @DisplayName("W32 (required) An instrumentation bound to the Drover sees each push (its ids, then stored counts) and adds metadata that the handler reads (the task's own key wins), sees the worker start and stop, wraps every run on the handler's thread with the decided outcome (COMPLETED, RETRYING, DEAD), and gets TaskStarted with the due time, HandlerEnded with the error, and round trips that claimed every run")
    void required_W32_instrumentationSeesPushesRunsAndEvents() {
        TaskQueue<Message> queue = kit.messages(kit.drover());
        Recorder recorder = new Recorder();
        Instrumentation.Binding binding = kit.drover().instrument(recorder);
        TaskId ok = queue.push(new Message("ok", 1), TaskOptions.defaults().metadata("tenant", "acme"));
        TaskId flaky = queue.push(new Message("flaky", 2), TaskOptions.defaults().maxAttempts(3));
        TaskId doomed = queue.push(new Message("doomed", 3));
        assertThat(recorder.pushes).as("pushes seen, each with its stored count").containsExactly(
                List.of(ok.value()) + " stored 1 duplicates 0", List.of(flaky.value()) + " stored 1 duplicates 0",
                List.of(doomed.value()) + " stored 1 duplicates 0");

        Map<String, Map<String, String>> metadataSeen = new ConcurrentHashMap<>();
        Map<String, Thread> handlerThreads = new ConcurrentHashMap<>();
        Worker<Message> worker = kit.start(kit.drover().worker(queue, task -> {
                    metadataSeen.put(task.id().value(), task.metadata());
                    handlerThreads.put(task.id().value() + "#" + task.attempt(), Thread.currentThread());
                    switch (task.payload().text()) {
                        case "flaky" -> {
                            if (task.attempt() == 1) throw new IllegalStateException("kit: W32 flaky fails once");
                        }
                        case "doomed" -> throw new DoNotRetryException("kit: W32 doomed");
                        default -> { }
                    }
                })
                .retryPolicy(RetryPolicy.fixed(Duration.ofMillis(20)))
                .pollInterval(WorkerContract.FAST_POLL_MIN, WorkerContract.FAST_POLL_MAX));
        Await.until(WorkerContract.WAIT, () -> recorder.outcomes.size() == 4 && recorder.events(WorkerEvent.TaskCompleted.class).size() == 2
                && recorder.events(WorkerEvent.TaskDead.class).size() == 1, "4 runs wrapped, 2 completions and a death reported (events: " + recorder.events + ")");

        assertThat(recorder.lifecycle).as("worker life seen").containsExactly("started " + worker.id().value());
        assertThat(recorder.outcomes).as("outcomes of the runs")
                .containsOnlyKeys(ok.value() + "#1", flaky.value() + "#1", flaky.value() + "#2", doomed.value() + "#1");
        assertThat(recorder.outcomes.get(ok.value() + "#1").kind()).isEqualTo(RunOutcome.Kind.COMPLETED);
        assertThat(recorder.outcomes.get(flaky.value() + "#1").kind()).isEqualTo(RunOutcome.Kind.RETRYING);
        assertThat(recorder.outcomes.get(flaky.value() + "#1").error()).hasMessage("kit: W32 flaky fails once");
        assertThat(recorder.outcomes.get(flaky.value() + "#2").kind()).isEqualTo(RunOutcome.Kind.COMPLETED);
        assertThat(recorder.outcomes.get(doomed.value() + "#1").kind()).isEqualTo(RunOutcome.Kind.DEAD);
        assertThat(recorder.runThreads).as("each run is wrapped on its handler's thread").isEqualTo(handlerThreads);

        assertThat(metadataSeen.get(ok.value())).as("metadata of a task that had its own tenant")
                .containsEntry("kit-trace", "pushed-with-1").containsEntry("tenant", "acme");
        assertThat(metadataSeen.get(doomed.value())).containsEntry("kit-trace", "pushed-with-1").containsEntry("tenant", "from-instrumentation");

        List<WorkerEvent.TaskStarted> started = recorder.events(WorkerEvent.TaskStarted.class);
        assertThat(started).hasSize(4);
        for (WorkerEvent.TaskStarted s : started) {
            assertThat(s.dueAt()).as("due time of %s attempt %d", s.taskId(), s.attempt()).isNotNull()
                    .isBefore(java.time.Instant.now().plusSeconds(1));
        }
        List<WorkerEvent.HandlerEnded> ended = recorder.events(WorkerEvent.HandlerEnded.class);
        assertThat(ended).hasSize(4);
        assertThat(ended.stream().filter(e -> e.error() != null).map(e -> e.taskId().value() + "#" + e.attempt()))
                .as("runs whose handler threw").containsExactlyInAnyOrder(flaky.value() + "#1", doomed.value() + "#1");
        assertThat(ended).allSatisfy(e -> assertThat(e.took()).isGreaterThanOrEqualTo(Duration.ZERO));
        int claimedInRoundTrips = recorder.events(WorkerEvent.StorageRoundTrip.class).stream().mapToInt(WorkerEvent.StorageRoundTrip::claimed).sum();
        assertThat(claimedInRoundTrips).as("tasks claimed, summed over the round trips reported").isEqualTo(4);

        worker.shutdown(Duration.ofSeconds(5));
        assertThat(recorder.lifecycle).as("worker life seen").containsExactly("started " + worker.id().value(), "stopped " + worker.id().value());
        binding.close();
        queue.push(new Message("after unbinding", 4));
        assertThat(recorder.pushes).as("no push seen once unbound").hasSize(3);
    }

    @Test
    @DisplayName("W33 (required) An instrumentation that throws from every hook, or never proceeds, fails no push and no task: every task still runs once and is DONE; a cancel through the queue is seen with its result")
    void required_W33_aFailingInstrumentationChangesNothing() {
        TaskQueue<Message> queue = kit.messages(kit.drover());
        Recorder recorder = new Recorder();
        kit.drover().instrument(new Instrumentation() {
            @Override
            public PushObservation onPush(QueueName q, List<NewTask> tasks) {
                throw new IllegalStateException("kit: W33 onPush");
            }

            @Override
            public void onEvent(WorkerEvent event) {
                throw new IllegalStateException("kit: W33 onEvent");
            }

            @Override
            public void onWorkerStarted(Worker<?> worker) {
                throw new IllegalStateException("kit: W33 onWorkerStarted");
            }

            @Override
            public void aroundRun(TaskRun run) {
                throw new IllegalStateException("kit: W33 aroundRun, before proceeding");
            }
        });
        kit.drover().instrument(new Instrumentation() {
            @Override
            public PushObservation onPush(QueueName q, List<NewTask> tasks) {
                return new PushObservation() {
                    @Override
                    public Map<String, String> metadata() {
                        throw new IllegalStateException("kit: W33 metadata");
                    }

                    @Override
                    public void stored(int stored, int duplicates) {
                        throw new IllegalStateException("kit: W33 stored");
                    }
                };
            }

            @Override
            public void aroundRun(TaskRun run) {
                // never proceeds
            }
        });
        kit.drover().instrument(recorder);
        List<TaskId> ids = queue.pushAll(List.of(new Message("a", 1), new Message("b", 2), new Message("c", 3)));
        TaskId cancelled = queue.push(new Message("cancelled", 4), TaskOptions.defaults().runAfter(Duration.ofHours(1)));
        assertThat(queue.cancel(cancelled)).isInstanceOf(CancelResult.Cancelled.class);
        assertThat(recorder.cancels).containsExactly(cancelled.value() + " Cancelled");

        AtomicInteger runs = new AtomicInteger();
        kit.start(kit.drover().worker(queue, task -> runs.incrementAndGet())
                .pollInterval(WorkerContract.FAST_POLL_MIN, WorkerContract.FAST_POLL_MAX));
        Await.until(WorkerContract.WAIT, () -> recorder.events(WorkerEvent.TaskCompleted.class).size() == 3,
                "3 completions reported (events: " + recorder.events + ")");
        assertThat(runs.get()).as("handler runs").isEqualTo(3);
        assertThat(recorder.outcomes.values()).extracting(RunOutcome::kind).containsOnly(RunOutcome.Kind.COMPLETED).hasSize(3);
        assertThat(recorder.pushes).as("pushes the working instrumentation saw").hasSize(2);
        assertThat(recorder.events(WorkerEvent.TaskCompleted.class)).extracting(WorkerEvent.TaskCompleted::taskId).containsExactlyInAnyOrderElementsOf(ids);
    }
}
