package dev.drover.sqlite;

import dev.drover.api.Drover;
import dev.drover.api.StorageException;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;
import dev.drover.conformance.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database file deleted or replaced under a running process: SQLite's connections go on writing the old file,
 * which nothing can open again. Every write must fail saying so, and nothing be acknowledged that is not in the file
 * at the path; the worker stops claiming and reports why.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeletedDatabaseFileTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void pushOutcomesAndClaimsFailClearlyOnceTheFileIsDeleted() throws Exception {
        Path file = dir.resolve("jobs.db");
        List<WorkerEvent.StorageFailed> failures = new CopyOnWriteArrayList<>();
        List<WorkerEvent.StorageFailed> idleFailures = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        try (Drover drover = Drover.open("sqlite:" + file)) {
            TaskQueue<String> mail = drover.queue("mail", String.class);
            try (Worker<String> worker = drover.worker(mail, task -> {
                        started.countDown();
                        finish.await();
                    })
                    .pollInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                    .listener(event -> { if (event instanceof WorkerEvent.StorageFailed f) failures.add(f); })
                    .start();
                 Worker<String> idle = drover.worker(drover.queue("reports", String.class), task -> { })
                    .pollInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                    .listener(event -> { if (event instanceof WorkerEvent.StorageFailed f) idleFailures.add(f); })
                    .start()) {
                mail.push("in flight while the file goes");
                assertThat(started.await(20, TimeUnit.SECONDS)).as("the task started").isTrue();

                for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(dir.resolve("jobs.db" + suffix));

                for (int attempt = 1; attempt <= 2; attempt++) {
                    assertThatThrownBy(() -> mail.push("after the file went"))
                            .as("push %d after the file was deleted", attempt)
                            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isFalse())
                            .hasMessageContaining("SQLite database " + file + " was deleted or replaced while open")
                            .hasMessageContaining("no file is at that path now")
                            .hasMessageContaining("this write was not kept")
                            .hasMessageContaining("reopen the backend or restart the application");
                }
                finish.countDown(); // its completion cannot be recorded either
                Await.until(WAIT, () -> failures.stream().anyMatch(f -> f.operation().startsWith("record")), "the outcome write fails");
                Await.until(WAIT, () -> idleFailures.stream().anyMatch(f -> f.operation().equals("claim")), "a claim of the idle worker fails");
                assertThat(Stream.concat(failures.stream(), idleFailures.stream()).toList())
                        .allSatisfy(f -> assertThat(f.error()).hasMessageContaining("was deleted or replaced while open"));
                assertThat(worker.stats().completed()).as("completions the worker counted as stored").isZero();
                assertThatThrownBy(mail::counts).as("a read of the deleted file")
                        .hasMessageContaining("was deleted or replaced while open")
                        .hasMessageContaining("this process would read the old file")
                        .hasMessageNotContaining("write");
            }
        }
        try (Drover drover = Drover.open("sqlite:" + file)) {
            assertThat(drover.queue("mail", String.class).counts()).as("the new file at the path").isEmpty();
        }
    }

    @Test
    void aFileMovedOverTheDatabaseIsNotWrittenThroughTheOldOne() throws Exception {
        Path file = dir.resolve("jobs.db");
        Path other = dir.resolve("other.db");
        try (Drover second = Drover.open("sqlite:" + other)) {
            second.queue("mail", String.class).push("in the other file");
        }
        try (Drover drover = Drover.open("sqlite:" + file)) {
            TaskQueue<String> mail = drover.queue("mail", String.class);
            mail.push("before");

            Files.move(other, file, StandardCopyOption.REPLACE_EXISTING);

            assertThatThrownBy(() -> mail.push("after"))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("SQLite database " + file + " was deleted or replaced while open")
                    .hasMessageContaining("another file is at that path now")
                    .hasMessageContaining("this write was not kept");
        }
        try (Drover drover = Drover.open("sqlite:" + file)) {
            assertThat(drover.queue("mail", String.class).counts()).as("the file now at the path").isEqualTo(Map.of(TaskState.PENDING, 1L));
        }
    }
}
