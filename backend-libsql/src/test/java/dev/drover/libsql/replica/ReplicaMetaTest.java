package dev.drover.libsql.replica;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The replica's meta file: its JSON, its atomic replacement, and what happens to a file it cannot use. */
class ReplicaMetaTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("written as snake_case JSON and read back equal; no temporary file is left")
    void roundTrip() throws Exception {
        Path file = ReplicaMeta.pathFor(dir.resolve("live.db"));
        assertThat(file.getFileName()).hasToString("live.db.replica.json");
        ReplicaMeta meta = ReplicaMeta.of("http://127.0.0.1:8080", "1234", new ShadowStore.Content(42, 0xCAFEBABEL),
                Instant.parse("2026-01-02T03:04:05.123Z"));
        meta.write(file);
        String json = Files.readString(file);
        assertThat(json).contains("\"format_version\"", "\"remote_url\"", "\"revision\"", "\"db_size\"", "\"page_size\"",
                "\"shadow_crc32c\"", "\"synced_at\"", "2026-01-02T03:04:05.123Z");
        assertThat(ReplicaMeta.read(file)).contains(meta);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }

        ReplicaMeta next = ReplicaMeta.of("http://127.0.0.1:8080", "1300", new ShadowStore.Content(43, 1), Instant.now());
        next.write(file);
        assertThat(ReplicaMeta.read(file)).contains(next);
    }

    @Test
    @DisplayName("a missing, unreadable or foreign meta file reads as none, so the replica is rebuilt")
    void unusableMeta() throws Exception {
        Path file = dir.resolve("live.db.replica.json");
        assertThat(ReplicaMeta.read(file)).isEmpty();
        Files.writeString(file, "{\"format_version\": 1, \"revision\": ");
        assertThat(ReplicaMeta.read(file)).isEmpty();
        Files.writeString(file, "{\"format_version\": 2, \"remote_url\": \"http://x\", \"revision\": \"1\", \"db_size\": 1, "
                + "\"page_size\": 4096, \"shadow_crc32c\": 0, \"synced_at\": \"2026-01-02T03:04:05Z\"}");
        assertThat(ReplicaMeta.read(file)).isEmpty();
        Files.writeString(file, "{\"format_version\": 1, \"remote_url\": \"http://x\", \"revision\": \"1\", \"db_size\": 1, "
                + "\"page_size\": 8192, \"shadow_crc32c\": 0, \"synced_at\": \"2026-01-02T03:04:05Z\"}");
        assertThat(ReplicaMeta.read(file)).isEmpty();
        Files.writeString(file, "{\"format_version\": 1, \"db_size\": 1, \"page_size\": 4096}");
        assertThat(ReplicaMeta.read(file)).isEmpty();
    }
}
