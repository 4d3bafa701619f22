package dev.drover.libsql;

import dev.drover.api.Drover;
import dev.drover.api.StorageException;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;
import dev.drover.conformance.Await;
import dev.drover.conformance.Names;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Remote mode when the server goes away and comes back, and when the token is wrong. */
class RemoteFaultTest {
    record Job(int n) {
    }

    @TempDir
    Path dir;

    @Test
    @DisplayName("The server stops mid-run and restarts: workers back off and resume; nothing lost, nothing run or completed twice")
    void workerSurvivesServerRestart() throws Exception {
        int total = 600;
        Map<TaskId, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger storageFailures = new AtomicInteger();
        try (TursoTestServer server = TursoTestServer.start(dir.resolve("primary.db"));
             Drover drover = Drover.open(server.remoteUrl())) {
            TaskQueue<Job> jobs = drover.queue(Names.queue().value(), Job.class);
            List<TaskId> ids = new ArrayList<>(jobs.pushAll(IntStream.range(0, total).mapToObj(Job::new).toList()));
            Worker<Job> worker = drover.worker(jobs, task -> {
                        runs.computeIfAbsent(task.id(), k -> new AtomicInteger()).incrementAndGet();
                        started.incrementAndGet();
                        Thread.sleep(2); // a little work, so the run is still going when the server stops
                    })
                    .concurrency(4)
                    .leaseDuration(Duration.ofSeconds(15))
                    .listener(event -> {
                        if (event instanceof WorkerEvent.StorageFailed) storageFailures.incrementAndGet();
                    })
                    .start();
            try {
                Await.until(Duration.ofSeconds(60), () -> started.get() >= total / 3, "a third of the tasks started");
                server.stop();
                Await.until(Duration.ofSeconds(30), () -> storageFailures.get() >= 2, "the worker saw the server gone");
                int startedWhileDown = started.get();
                assertThat(startedWhileDown).as("handlers started before the restart (work must be left for the worker to resume)")
                        .isLessThan(total);
                server.restart();
                Await.until(Duration.ofSeconds(60), () -> started.get() > startedWhileDown,
                        "a handler starts after the restart (" + startedWhileDown + " had started before it)");
                Await.until(Duration.ofSeconds(90), () -> done(drover.backend(), jobs) == total, "all " + total + " tasks DONE after the restart");
                assertThat(drover.backend().counts(jobs.name())).containsOnlyKeys(TaskState.DONE);
            } finally {
                worker.shutdown(Duration.ofSeconds(5));
            }
            assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(runs.values().stream().filter(n -> n.get() != 1).count()).as("tasks whose handler ran more than once").isZero();
        }
    }

    @Test
    @DisplayName("A wrong token fails with a clear authentication error that does not echo the token; the right one works")
    void wrongTokenIsAClearErrorWithoutTheToken() throws Exception {
        TursoTestServer server = TursoTestServer.shared();
        try (HranaProxy proxy = new HranaProxy(server.httpUrl(), "right-token-4f9a")) {
            assertThatThrownBy(() -> Backends.open(proxy.url() + "&authToken=wrong-token-77c1"))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("authentication failed")
                    .hasMessageContaining("127.0.0.1")
                    .satisfies(e -> assertThat(((StorageException) e).isTransient()).isFalse())
                    .satisfies(e -> assertThat(fullText(e)).doesNotContain("wrong-token-77c1"));
            try (Backend backend = Backends.open(proxy.url() + "&authToken=right-token-4f9a")) {
                assertThat(backend.describe()).doesNotContain("right-token-4f9a");
                assertThat(backend.counts(Names.queue())).isEmpty();
            }
        }
    }

    private static long done(Backend backend, TaskQueue<?> queue) {
        Long n = backend.counts(queue.name()).get(TaskState.DONE);
        return n == null ? 0 : n;
    }

    private static String fullText(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) sb.append(t).append('\n');
        return sb.toString();
    }
}
