package dev.drover.sqlite;

import dev.drover.api.Drover;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transient storage failure never stops a worker: another process holds SQLite's write lock longer than the
 * busy timeout, so the worker's claims and outcome writes fail with "database is locked"; the worker reports
 * it, backs off, and once the lock is gone finishes every task exactly once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerSurvivesLockedDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void claimsFailWhileLockedThenEveryTaskRuns() throws Exception {
        Path file = dir.resolve("locked.db");
        List<WorkerEvent.StorageFailed> failures = new CopyOnWriteArrayList<>();
        try (Drover drover = Drover.open("sqlite:" + file + "?busyTimeout=100")) {
            TaskQueue<Integer> numbers = drover.queue("numbers", Integer.class);
            numbers.pushAll(IntStream.range(0, 20).boxed().toList());
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement sql = other.createStatement()) {
                sql.execute("BEGIN IMMEDIATE"); // another process holds the write lock
                try (Worker<Integer> worker = drover.worker(numbers, task -> { })
                        .pollInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                        .listener(event -> { if (event instanceof WorkerEvent.StorageFailed f) failures.add(f); })
                        .start()) {
                    await(() -> failures.size() >= 2, "two failed claims while the database is locked");
                    assertThat(failures).allSatisfy(f -> {
                        assertThat(f.operation()).isEqualTo("claim");
                        assertThat(f.error()).hasMessageContaining("busy");
                    });
                    assertThat(numbers.counts().getOrDefault(TaskState.DONE, 0L)).isZero();

                    sql.execute("ROLLBACK"); // the lock is gone
                    await(() -> numbers.counts().getOrDefault(TaskState.DONE, 0L) == 20, "all 20 tasks done after the lock is released");
                    // The worker counts an outcome once storage has taken it, so its counter follows the stored state.
                    await(() -> worker.stats().completed() == 20, "the worker counts 20 completions");
                }
            }
        }
    }

    @Test
    void outcomeWritesFailWhileLockedAndAreWrittenOnceAfter() throws Exception {
        Path file = dir.resolve("locked-outcomes.db");
        List<WorkerEvent.StorageFailed> failures = new CopyOnWriteArrayList<>();
        ConcurrentHashMap<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
        CountDownLatch allStarted = new CountDownLatch(4);
        CountDownLatch finish = new CountDownLatch(1);
        try (Drover drover = Drover.open("sqlite:" + file + "?busyTimeout=100")) {
            TaskQueue<Integer> numbers = drover.queue("numbers", Integer.class);
            numbers.pushAll(List.of(1, 2, 3, 4));
            try (Worker<Integer> worker = drover.worker(numbers, task -> {
                        runs.computeIfAbsent(task.payload(), k -> new AtomicInteger()).incrementAndGet();
                        allStarted.countDown();
                        finish.await();
                    })
                    .concurrency(4)
                    .leaseDuration(Duration.ofSeconds(30))
                    .listener(event -> { if (event instanceof WorkerEvent.StorageFailed f) failures.add(f); })
                    .start()) {
                assertThat(allStarted.await(20, TimeUnit.SECONDS)).as("all four tasks started").isTrue();
                try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                     Statement sql = other.createStatement()) {
                    sql.execute("BEGIN IMMEDIATE");
                    finish.countDown(); // handlers return while their outcomes cannot be written
                    await(() -> failures.stream().anyMatch(f -> f.operation().startsWith("record")), "a failed outcome write");
                    assertThat(numbers.counts().getOrDefault(TaskState.RUNNING, 0L)).isEqualTo(4);
                    sql.execute("ROLLBACK");
                }
                await(() -> numbers.counts().getOrDefault(TaskState.DONE, 0L) == 4, "all 4 outcomes written after the lock is released");
                // The worker counts an outcome once storage has taken it, so its counter follows the stored state.
                await(() -> worker.stats().completed() == 4, "the worker counts 4 completions");
                assertThat(worker.stats().leaseLost()).isZero();
                assertThat(worker.stats().completed()).as("completions counted once each").isEqualTo(4);
                assertThat(runs.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for: " + what);
            Thread.sleep(10); // polling interval of a condition wait, not synchronisation by sleeping
        }
    }
}
