package dev.drover.sqlite.jdbc;

import dev.drover.api.Capability;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.StorageException;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import dev.drover.sqlite.store.InProcessWakeups;
import dev.drover.sqlite.store.SqlTaskStore;
import dev.drover.sqlite.SqliteOptions;
import dev.drover.sqlite.store.SqliteSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A full disk fails writes with a clear error and stores nothing of them; once there is space again, push, claim and
 * complete work again on the same open database, without a restart.
 *
 * <p>The disk is a 4 MiB tmpfs the test mounts where it may (as root), filled to the last byte: then the COMMIT is
 * what fails, as on a real full disk, and every kind of write fails while it is full. Elsewhere SQLite's
 * {@code max_page_count} on the writer connection stands in for it: that fails the INSERT rather than the COMMIT and
 * only when a new page is needed, so it checks less ({@link JdbcSqlTransportTest} covers a failed COMMIT without root).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiskFullRecoveryTest {
    private static final QueueName QUEUE = QueueName.of("uploads");
    private static final WorkerId WORKER = new WorkerId("disk-full-test");
    private static final Duration LEASE = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void pushClaimAndCompleteWorkAgainOnceSpaceIsBack() throws Exception {
        try (SmallDisk disk = SmallDisk.make(dir.resolve("disk"))) {
            Path file = disk.dir().resolve("jobs.db");
            JdbcSqlTransport transport = JdbcSqlTransport.open(file, SqliteOptions.defaults());
            SqliteSchema.migrate(transport, Clock.systemUTC());
            try (SqlTaskStore store = new SqlTaskStore(transport, InProcessWakeups.isolated(), EnumSet.allOf(Capability.class), Clock.systemUTC())) {
                store.push(tasks(3));
                ClaimedTask held = store.claim(QUEUE, WORKER, 1, LEASE).getFirst(); // completed only once the disk has space again

                disk.fill(transport);
                List<TaskId> acknowledged = new ArrayList<>();
                List<NewTask> refused = null;
                StorageException full = null;
                for (int batch = 0; batch < 2_000 && full == null; batch++) {
                    List<NewTask> next = tasks(20);
                    try {
                        store.push(next);
                        next.forEach(t -> acknowledged.add(t.id()));
                    } catch (StorageException e) {
                        full = e;
                        refused = next;
                    }
                }
                assertThat(full).as("a push fails once the disk (%s) is full", disk).isNotNull();
                assertFull(full, file);
                // A claim or a completion is small: it may still fit in WAL space SQLite already has (once the background
                // checkpoint has copied the WAL back, the next transaction writes it from its start), and then it is kept;
                // if it does not fit, it fails saying the disk is full and changes nothing.
                List<ClaimedTask> claimedWhileFull = new ArrayList<>();
                boolean heldDone = false;
                if (disk.failsEveryWrite()) {
                    try {
                        claimedWhileFull.addAll(store.claim(QUEUE, WORKER, 1, LEASE));
                    } catch (StorageException e) {
                        assertFull(e, file);
                    }
                    try {
                        heldDone = store.settle(List.of(new Settlement.Complete(held.lease(), null))).size() == 1;
                    } catch (StorageException e) {
                        assertFull(e, file);
                    }
                }

                disk.free(transport);
                List<NewTask> after = tasks(1);
                store.push(after);
                long pending = 2 + acknowledged.size() + 1 - claimedWhileFull.size();
                Map<TaskState, Long> expected = new java.util.EnumMap<>(TaskState.class);
                expected.put(TaskState.PENDING, pending);
                expected.put(TaskState.RUNNING, 1L + claimedWhileFull.size() - (heldDone ? 1 : 0));
                if (heldDone) expected.put(TaskState.DONE, 1L);
                assertThat(store.counts(QUEUE)).as("every acknowledged write kept, nothing of the refused push")
                        .isEqualTo(expected);
                for (NewTask task : refused) assertThat(store.get(QUEUE, task.id())).as("task of the refused push").isEmpty();

                List<ClaimedTask> claimed = store.claim(QUEUE, WORKER, 3, LEASE);
                assertThat(claimed).hasSize(3);
                List<Settlement> outcomes = new ArrayList<>();
                if (!heldDone) outcomes.add(new Settlement.Complete(held.lease(), null));
                claimedWhileFull.forEach(c -> outcomes.add(new Settlement.Complete(c.lease(), null)));
                claimed.forEach(c -> outcomes.add(new Settlement.Complete(c.lease(), null)));
                assertThat(store.settle(outcomes)).as("completions applied").hasSize(outcomes.size());
                Map<TaskState, Long> counts = store.counts(QUEUE);
                assertThat(counts.get(TaskState.DONE)).isEqualTo(4L + claimedWhileFull.size());
                assertThat(counts.getOrDefault(TaskState.PENDING, 0L)).isEqualTo(pending - 3);
                assertThat(counts.getOrDefault(TaskState.RUNNING, 0L)).isZero();
                assertThat(transport.read(dev.drover.sqlite.sql.SqlStatement.of("PRAGMA integrity_check")).rows().getFirst()
                        .getString("integrity_check")).isEqualTo("ok");
            }
        }
    }

    private static void assertFull(StorageException e, Path file) {
        assertThat(e).as("the failure on a full disk").isNotNull();
        assertThat(e.getMessage()).contains("the disk holding " + file + " is full", "free space", "the write was not kept");
        assertThat(e.isTransient()).as("transient: it works again once there is space").isTrue();
    }

    private static List<NewTask> tasks(int count) {
        byte[] payload = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
        List<NewTask> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tasks.add(NewTask.builder(QUEUE, payload, "text").runAt(Instant.now()).maxAttempts(3).build());
        }
        return tasks;
    }

    /** Where the database lives and how it runs out of space. */
    private interface SmallDisk extends AutoCloseable {
        Path dir();

        /** Leaves no room for the database to grow. */
        void fill(JdbcSqlTransport transport) throws IOException;

        /** Gives the room back. */
        void free(JdbcSqlTransport transport) throws IOException;

        /** Whether every write transaction fails while full (a write may fit in the pages it already has otherwise). */
        boolean failsEveryWrite();

        @Override
        void close() throws IOException, InterruptedException;

        static SmallDisk make(Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir);
            if (run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir.toString()) == 0) return new Tmpfs(dir);
            return new PageLimit(dir);
        }

        private static int run(String... command) throws IOException, InterruptedException {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                return -1; // no such program
            }
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        }
    }

    /** A 4 MiB tmpfs, filled to the last byte by a filler file. */
    private record Tmpfs(Path dir) implements SmallDisk {
        private Path filler() {
            return dir.resolve("filler");
        }

        @Override
        public void fill(JdbcSqlTransport transport) throws IOException {
            byte[] block = new byte[4096];
            try (OutputStream out = Files.newOutputStream(filler())) {
                while (true) out.write(block);
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("No space left")) throw e;
            }
        }

        @Override
        public void free(JdbcSqlTransport transport) throws IOException {
            Files.delete(filler());
        }

        @Override
        public boolean failsEveryWrite() {
            return true;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            SmallDisk.run("umount", dir.toString());
        }

        @Override
        public String toString() {
            return "a 4 MiB tmpfs";
        }
    }

    /** SQLite's page limit on the writer connection, at the pages the database has. */
    private record PageLimit(Path dir) implements SmallDisk {
        @Override
        public void fill(JdbcSqlTransport transport) {
            transport.pragmaOnWriter("max_page_count = " + transport.pragmaOnWriter("page_count"));
        }

        @Override
        public void free(JdbcSqlTransport transport) {
            transport.pragmaOnWriter("max_page_count = 1000000000");
        }

        @Override
        public boolean failsEveryWrite() {
            return false;
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "max_page_count on the writer (no tmpfs here)";
        }
    }
}
