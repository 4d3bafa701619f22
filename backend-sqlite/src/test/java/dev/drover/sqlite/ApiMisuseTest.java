package dev.drover.sqlite;

import dev.drover.api.Drover;
import dev.drover.api.DroverSettings;
import dev.drover.api.InvalidTaskException;
import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;
import dev.drover.spi.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A mistake in using the public API fails at once, with a message that names it and says what to do instead. */
class ApiMisuseTest {

    @TempDir
    Path dir;

    private String url() {
        return "sqlite:" + dir.resolve("misuse.db");
    }

    @Test
    void pushingNullNamesTheQueueAndWhatToPass() {
        try (Drover drover = Drover.open(url())) {
            TaskQueue<String> queue = drover.queue("strings", String.class);
            assertThatThrownBy(() -> queue.push(null))
                    .isInstanceOf(InvalidTaskException.class)
                    .hasMessageContaining("payload pushed to queue strings is null")
                    .hasMessageContaining("push a value");
            assertThatThrownBy(() -> queue.pushAll(null))
                    .isInstanceOf(InvalidTaskException.class)
                    .hasMessageContaining("pushAll to queue strings was given null instead of a list")
                    .hasMessageContaining("pass a list of payloads");
            assertThatThrownBy(() -> queue.push("x", null))
                    .isInstanceOf(InvalidTaskException.class)
                    .hasMessageContaining("options of a push to queue strings are null")
                    .hasMessageContaining("TaskOptions.defaults()");
            assertThat(queue.counts().values().stream().mapToLong(Long::longValue).sum()).as("tasks stored").isZero();
        }
    }

    @Test
    void startingAStoppedWorkerSaysItWasStopped() {
        try (Drover drover = Drover.open(url())) {
            TaskQueue<String> queue = drover.queue("strings", String.class);
            Worker<String> neverStarted = drover.worker(queue, task -> { }).build();
            neverStarted.close();
            assertThatThrownBy(neverStarted::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("on queue strings was stopped")
                    .hasMessageContaining("build a new worker")
                    .hasMessageNotContaining("already started");

            Worker<String> ran = drover.worker(queue, task -> { }).start();
            assertThatThrownBy(ran::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("was already started");
            ran.close();
            assertThatThrownBy(ran::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("was stopped")
                    .hasMessageContaining("build a new worker");
        }
    }

    @Test
    void aWorkerOnAClosedDroverFailsAtOnce() {
        Drover opened = Drover.open(url());
        TaskQueue<String> queue = opened.queue("strings", String.class);
        opened.close();
        assertThatThrownBy(() -> opened.worker(queue, task -> { }).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed")
                .hasMessageContaining(dir.resolve("misuse.db").getFileName().toString())
                .hasMessageContaining("open Drover");

        Drover using = Drover.using(Backends.open(url()), DroverSettings.defaults());
        TaskQueue<String> usingQueue = using.queue("strings", String.class);
        using.close();
        assertThatThrownBy(() -> using.worker(usingQueue, task -> { }).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> usingQueue.push("x")).as("push, for comparison").hasMessageContaining("is closed");
    }
}
