package dev.drover.examples.readme;

import dev.drover.api.Drover;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskQueue;
import dev.drover.api.instrument.Instrumentation;
import dev.drover.api.instrument.PushObservation;
import dev.drover.api.instrument.RunOutcome;
import dev.drover.api.instrument.TaskRun;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;
import dev.drover.micrometer.DroverMetrics;
import dev.drover.micrometer.DroverMetricsOptions;
import dev.drover.opentelemetry.DroverTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;

import java.time.Duration;
import java.util.List;

/** The README's "Metrics and tracing" examples: Micrometer, OpenTelemetry, and an instrumentation of one's own. */
public final class MetricsAndTracing {
    record Email(String to) { }

    public static void main(String[] args) throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();    // the application's registry (Prometheus, OTLP, ...)
        OpenTelemetry openTelemetry = OpenTelemetrySdk.builder().build(); // the application's SDK, or GlobalOpenTelemetry.get()
        // region bind
        try (Drover drover = Drover.open("sqlite:jobs.db");
             DroverMetrics metrics = DroverMetrics.bind(drover, registry,
                     DroverMetricsOptions.defaults().refreshInterval(Duration.ofSeconds(10)));
             Instrumentation.Binding tracing = DroverTracing.bind(drover, openTelemetry)) {
            TaskQueue<Email> emails = drover.queue("emails", Email.class);
            emails.push(new Email("ada@example.com"));      // span "send emails"; drover.tasks.pushed{queue=emails} + 1
            try (Worker<Email> worker = drover.worker(emails, task -> send(task.payload())).start()) {
                // each run: span "process emails" (child of the push's span, current in the handler),
                // drover.handler.duration{outcome=completed}, drover.tasks.start.delay, drover.queue.tasks{state=...}
            }
        }
        // endregion bind
    }

    // region custom
    /** An application's own instrumentation: a line per push, per failed run and per lost lease. */
    static final class FailureLog implements Instrumentation {
        @Override
        public PushObservation onPush(QueueName queue, List<NewTask> tasks) {
            return new PushObservation() {
                @Override
                public void stored(int stored, int duplicates) {
                    System.out.printf("%s: %d pushed, %d duplicates%n", queue, stored, duplicates);
                }
            };
        }

        @Override
        public void aroundRun(TaskRun run) {
            RunOutcome outcome = run.proceed();                 // runs the handler on this thread
            if (outcome.error() != null) {
                System.out.printf("%s attempt %d: %s after %s: %s%n", run.task().id(), run.task().attempt(),
                        outcome.kind(), outcome.duration(), outcome.error());
            }
        }

        @Override
        public void onEvent(WorkerEvent event) {
            if (event instanceof WorkerEvent.LeaseLost lost) System.out.println("lease lost: " + lost.taskId());
        }
    }
    // endregion custom

    private static void send(Email email) {
    }
}
