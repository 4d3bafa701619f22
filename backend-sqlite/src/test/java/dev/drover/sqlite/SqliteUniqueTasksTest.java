package dev.drover.sqlite;

import dev.drover.api.Drover;
import dev.drover.api.InvalidTaskException;
import dev.drover.api.PushResult;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.UniqueKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Unique keys through the typed {@link TaskQueue}, beyond the kit's S42-S43 (which work on the SPI): {@code push} returns
 * the holder's id, {@code pushAll} and {@code pushAllReporting} collapse a call's payloads to the first, a push in the
 * caller's transaction with a key is refused, and keys are validated.
 */
class SqliteUniqueTasksTest {
    record Job(int n) { }

    @TempDir
    Path dir;

    @Test
    void pushReturnsTheHolderAndPushAllReportsDuplicates() {
        try (Drover drover = Drover.open("sqlite:" + dir.resolve("u.db"))) {
            TaskQueue<Job> jobs = drover.queue("jobs", Job.class);
            TaskId first = jobs.push(new Job(1), TaskOptions.defaults().unique("k"));
            assertThat(jobs.push(new Job(2), TaskOptions.defaults().unique("k"))).isEqualTo(first);
            assertThat(jobs.pushAll(List.of(new Job(3), new Job(4)), TaskOptions.defaults().unique("k"))).containsExactly(first, first);

            PushResult result = jobs.pushAllReporting(List.of(new Job(5), new Job(6)), TaskOptions.defaults().uniqueUntilDone("other"));
            assertThat(result.entries()).hasSize(2);
            assertThat(result.entries().get(0).stored()).isTrue();
            assertThat(result.entries().get(1).duplicate()).isTrue();
            assertThat(result.entries().get(1).id()).isEqualTo(result.entries().get(0).id());
            assertThat(result.storedCount()).isEqualTo(1);
            assertThat(result.duplicateCount()).isEqualTo(1);

            PushResult plain = jobs.pushAllReporting(List.of(new Job(7), new Job(8)), TaskOptions.defaults());
            assertThat(plain.storedCount()).isEqualTo(2);
            assertThat(jobs.counts().get(TaskState.PENDING)).isEqualTo(4L);
        }
    }

    @Test
    void aKeyInTheCallersTransactionIsRefused() throws Exception {
        Path file = dir.resolve("t.db");
        try (Drover drover = Drover.open("sqlite:" + file); Connection c = Tasks.jdbc(file)) {
            TaskQueue<Job> jobs = drover.queue("jobs", Job.class);
            assertThatThrownBy(() -> jobs.push(new Job(1), TaskOptions.defaults().unique("k"), c))
                    .isInstanceOf(InvalidTaskException.class).hasMessageContaining("unique key").hasMessageContaining("without the Connection");
            assertThatThrownBy(() -> jobs.followUp(new Job(1), TaskOptions.defaults().unique("k")))
                    .isInstanceOf(InvalidTaskException.class).hasMessageContaining("follow-up");
            assertThat(jobs.counts().getOrDefault(TaskState.PENDING, 0L)).isZero();
        }
    }

    @Test
    void keysAreValidated() {
        assertThatThrownBy(() -> UniqueKey.active(" ")).isInstanceOf(InvalidTaskException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> UniqueKey.active("x".repeat(UniqueKey.MAX_LENGTH + 1))).isInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("at most " + UniqueKey.MAX_LENGTH);
        assertThatThrownBy(() -> UniqueKey.forPeriod("k", Duration.ZERO)).isInstanceOf(InvalidTaskException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new UniqueKey("k", UniqueKey.Scope.ACTIVE, Duration.ofSeconds(1))).isInstanceOf(InvalidTaskException.class);
        assertThat(UniqueKey.active("x".repeat(UniqueKey.MAX_LENGTH)).key()).hasSize(UniqueKey.MAX_LENGTH);
    }
}
