package dev.drover.sqlite;

import dev.drover.api.ConfigurationException;
import dev.drover.api.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteFileErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aFileThatIsNotADatabaseIsNamedAndLeftAlone() throws Exception {
        Path file = dir.resolve("notes.db");
        String text = "These are my notes, not a database.\n".repeat(100);
        Files.writeString(file, text);

        assertThatThrownBy(() -> SqliteBackend.open(file))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a SQLite database")
                .hasMessageContaining("point the sqlite: URL at a new file or at a Drover database");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void aDirectoryIsNotADatabaseFile() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("data"));

        assertThatThrownBy(() -> SqliteBackend.open(folder))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(folder + " is a directory, not a database file")
                .hasMessageContaining("sqlite:" + folder.resolve("jobs.db"));
    }

    @Test
    void aClosedBackendSaysSo() {
        SqliteBackend backend = SqliteBackend.open(dir.resolve("jobs.db"));
        backend.close();
        backend.close(); // idempotent

        assertThatThrownBy(() -> backend.push(java.util.List.of(Tasks.task("emails", "x"))))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("is closed");
    }
}
