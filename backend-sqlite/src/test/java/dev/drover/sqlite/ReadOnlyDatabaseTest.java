package dev.drover.sqlite;

import dev.drover.api.Drover;
import dev.drover.api.StorageException;
import dev.drover.api.TaskQueue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A database file this process cannot write: the push fails with an error naming the file and what to do; nothing is stored. */
class ReadOnlyDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void pushToAReadOnlyFileNamesTheFileAndStoresNothing() throws Exception {
        Path file = dir.resolve("readonly.db");
        String url = "sqlite:" + file;
        try (Drover drover = Drover.open(url)) {
            drover.queue("mail", String.class).push("before");
        }
        ReadOnly readOnly = ReadOnly.make(file);
        try {
            try (Drover drover = Drover.open(url)) {
                TaskQueue<String> mail = drover.queue("mail", String.class);
                // Twice: the second push reuses the statement the first one failed on, and must fail the same clear way.
                for (int attempt = 1; attempt <= 2; attempt++) {
                    assertThatThrownBy(() -> mail.push("refused"))
                            .as("push %d to the read-only file", attempt)
                            .isInstanceOf(StorageException.class)
                            .hasMessageContaining(file.toString())
                            .hasMessageContaining("READONLY")
                            .hasMessageContaining("writable");
                }
            }
        } finally {
            readOnly.undo();
        }
        try (Drover drover = Drover.open(url)) {
            TaskQueue<String> mail = drover.queue("mail", String.class);
            assertThat(mail.counts().values().stream().mapToLong(Long::longValue).sum()).as("tasks stored").isEqualTo(1);
        }
    }

    /** Permission bits do not bind root, so as root the file is made immutable (ext4 and most Linux file systems). */
    private record ReadOnly(Path file, boolean immutable) {
        static ReadOnly make(Path file) throws IOException, InterruptedException {
            boolean root = "root".equals(System.getProperty("user.name"));
            if (!root) {
                assertThat(file.toFile().setWritable(false, false)).isTrue();
                return new ReadOnly(file, false);
            }
            int exit = run("chattr", "+i", file.toString());
            Assumptions.assumeTrue(exit == 0, "running as root and chattr +i is not available for " + file
                    + " (file system without immutable files?): root cannot be refused writes here");
            return new ReadOnly(file, true);
        }

        void undo() throws IOException, InterruptedException {
            if (immutable) run("chattr", "-i", file.toString());
            else file.toFile().setWritable(true, false);
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
}
