package dev.drover.sqlite;

import dev.drover.api.ConfigurationException;
import dev.drover.api.Drover;
import dev.drover.api.DroverSettings;
import dev.drover.api.InvalidTaskException;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.codec.BytesCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input through the public API gets an error that names what is wrong, and stores nothing. */
class BadInputTest {

    @TempDir
    Path dir;

    private String url() {
        return "sqlite:" + dir.resolve("bad-input.db");
    }

    @Test
    void unknownSchemeListsTheInstalledSchemes() {
        assertThatThrownBy(() -> Drover.open("redis://localhost:6379"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("\"redis:\"")
                .hasMessageContaining("installed schemes are sqlite:");
    }

    @Test
    void malformedUrlSaysWhatAUrlLooksLike() {
        assertThatThrownBy(() -> Drover.open(dir.resolve("jobs.db").toString().substring(1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("expected scheme:location");
    }

    @Test
    void invalidQueueNameIsRefusedBeforeAnySql() {
        try (Drover drover = Drover.open(url())) {
            assertThatThrownBy(() -> drover.queue("emails'; DROP TABLE drover_tasks; --", String.class))
                    .isInstanceOf(InvalidTaskException.class)
                    .hasMessageContaining("invalid queue name");
        }
    }

    @Test
    void payloadOverTheLimitIsRefusedAndNothingOfTheBatchIsStored() {
        try (Drover drover = Drover.open(url(), DroverSettings.defaults().maxPayloadBytes(1024))) {
            TaskQueue<byte[]> blobs = drover.queue("blobs", BytesCodec.INSTANCE);
            assertThatThrownBy(() -> blobs.pushAll(List.of(new byte[10], new byte[2048])))
                    .isInstanceOf(InvalidTaskException.class)
                    .hasMessageContaining("payload 1 pushed to queue blobs is 2048 bytes, over the limit of 1024 bytes")
                    .hasMessageContaining("maxPayloadBytes");
            assertThat(total(blobs.counts())).isZero();
        }
    }

    @Test
    void negativeDelayAndAttemptsAreRefused() {
        try (Drover drover = Drover.open(url())) {
            TaskQueue<String> queue = drover.queue("strings", String.class);
            assertThatThrownBy(() -> queue.push("x", TaskOptions.defaults().runAfter(Duration.ofSeconds(-5))))
                    .isInstanceOf(InvalidTaskException.class).hasMessageContaining("runAfter must not be negative");
            assertThatThrownBy(() -> queue.push("x", TaskOptions.defaults().maxAttempts(-1)))
                    .isInstanceOf(InvalidTaskException.class).hasMessageContaining("maxAttempts must be at least 1");
            assertThat(total(queue.counts())).isZero();
        }
    }

    @Test
    void nullPayloadIsRefusedWithItsPosition() {
        try (Drover drover = Drover.open(url())) {
            TaskQueue<String> queue = drover.queue("strings", String.class);
            assertThatThrownBy(() -> queue.pushAll(java.util.Arrays.asList("a", null)))
                    .isInstanceOf(InvalidTaskException.class).hasMessageContaining("payload 1 pushed to queue strings is null");
            assertThat(total(queue.counts())).isZero();
        }
    }

    @Test
    void settingsOutOfRangeNameTheSetting() {
        assertThatThrownBy(() -> DroverSettings.defaults().maxPayloadBytes(0))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxPayloadBytes");
    }

    private static long total(Map<TaskState, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
