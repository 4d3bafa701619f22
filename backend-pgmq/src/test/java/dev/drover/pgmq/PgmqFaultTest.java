package dev.drover.pgmq;

import dev.drover.api.Drover;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;
import dev.drover.conformance.Await;
import dev.drover.conformance.Names;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database connection dies under a running worker: {@code pg_terminate_backend} on every connection of the
 * worker's {@code Drover} (its pool and its LISTEN connection, found by their application name). The worker must
 * reconnect, back off and go on: every task ends DONE, its handler ran exactly once, and nothing is left behind.
 */
class PgmqFaultTest {
    record Job(int n) {
    }

    @Test
    @DisplayName("Connections killed three times mid-run: workers reconnect and resume; nothing lost, nothing run or completed twice")
    void workerSurvivesKilledConnections() throws Exception {
        String app = "drover-fault-" + Names.letters(8);
        QueueName queue = Names.queue();
        int total = 3000;
        Map<TaskId, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger storageFailures = new AtomicInteger();
        try (Drover drover = Drover.open(PgTestDatabase.url("mode=plain&ApplicationName=" + app))) {
            TaskQueue<Job> jobs = drover.queue(queue.value(), Job.class);
            List<TaskId> ids = new ArrayList<>();
            for (int from = 0; from < total; from += 500) {
                ids.addAll(jobs.pushAll(IntStream.range(from, from + 500).mapToObj(Job::new).toList()));
            }
            Worker<Job> worker = drover.worker(jobs, task -> {
                        runs.computeIfAbsent(task.id(), k -> new AtomicInteger()).incrementAndGet();
                        started.incrementAndGet();
                        Thread.sleep(2); // a little work, so the run outlasts the three kills
                    })
                    .concurrency(8)
                    .leaseDuration(Duration.ofSeconds(10))
                    .listener(event -> {
                        if (event instanceof WorkerEvent.StorageFailed) storageFailures.incrementAndGet();
                    })
                    .start();
            try {
                for (int k = 1; k <= 3; k++) {
                    int threshold = total * k / 4;
                    Await.until(Duration.ofSeconds(60), () -> started.get() >= threshold, "handlers started: " + threshold);
                    assertThat(terminate(app)).as("connections of %s terminated (kill %d)", app, k).isPositive();
                }
                try (PgmqBackend inspector = PgmqBackend.open(dev.drover.spi.DroverUrl.parse(PgTestDatabase.plainUrl()))) {
                    Await.until(Duration.ofSeconds(90), () -> done(inspector, queue) == total,
                            "all " + total + " tasks DONE");
                    Map<TaskState, Long> counts = inspector.counts(queue);
                    assertThat(counts).as("counts after the run").containsOnlyKeys(TaskState.DONE).containsEntry(TaskState.DONE, (long) total);
                }
            } finally {
                worker.shutdown(Duration.ofSeconds(5));
            }
            assertThat(runs.keySet()).as("tasks whose handler ran").containsExactlyInAnyOrderElementsOf(ids);
            assertThat(runs.values().stream().filter(n -> n.get() != 1).count()).as("tasks whose handler ran more than once").isZero();
        }
    }

    @Test
    @DisplayName("An idle worker whose connections (LISTEN included) were killed still starts tasks pushed afterwards")
    void idleWorkerRecoversItsListenConnection() throws Exception {
        String app = "drover-fault-" + Names.letters(8);
        QueueName queue = Names.queue();
        AtomicInteger ran = new AtomicInteger();
        try (Drover drover = Drover.open(PgTestDatabase.url("mode=plain&ApplicationName=" + app));
             Drover pusher = Drover.open(PgTestDatabase.plainUrl())) {
            TaskQueue<Job> jobs = drover.queue(queue.value(), Job.class);
            Worker<Job> worker = drover.worker(jobs, task -> ran.incrementAndGet())
                    .pollInterval(Duration.ofMillis(200), Duration.ofSeconds(1))
                    .start();
            try {
                Await.until(Duration.ofSeconds(10), () -> listening(app), "the worker's LISTEN connection is up");
                assertThat(terminate(app)).isPositive();
                TaskQueue<Job> other = pusher.queue(queue.value(), Job.class);
                other.pushAll(IntStream.range(0, 20).mapToObj(Job::new).toList());
                Await.until(Duration.ofSeconds(30), () -> ran.get() == 20, "all 20 tasks ran");
                Await.until(Duration.ofSeconds(10), () -> listening(app), "the LISTEN connection is back");
            } finally {
                worker.shutdown(Duration.ofSeconds(5));
            }
        }
    }

    private static long done(PgmqBackend backend, QueueName queue) {
        Long n = backend.counts(queue).get(TaskState.DONE);
        return n == null ? 0 : n;
    }

    /** Terminates every server connection opened under {@code applicationName}; returns how many. */
    private static int terminate(String applicationName) throws SQLException {
        try (Connection c = PgTestDatabase.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** True when a connection of {@code applicationName} is waiting in LISTEN (its last statement was a LISTEN). */
    private static boolean listening(String applicationName) {
        try (Connection c = PgTestDatabase.connect();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT 1 FROM pg_stat_activity WHERE application_name = ? AND query ILIKE 'LISTEN%'")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
