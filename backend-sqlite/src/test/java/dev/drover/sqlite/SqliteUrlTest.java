package dev.drover.sqlite;

import dev.drover.api.Capability;
import dev.drover.api.ConfigurationException;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.spi.DroverUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteUrlTest {
    @TempDir
    Path dir;

    @Test
    void theProviderIsFoundByItsScheme() {
        try (Backend backend = Backends.open("sqlite::memory:")) {
            assertThat(backend).isInstanceOf(SqliteBackend.class);
            assertThat(backend.describe()).isEqualTo("sqlite::memory:");
        }
    }

    @Test
    void anAbsolutePathOpensThatFile() {
        Path file = dir.resolve("jobs.db");
        try (Backend backend = Backends.open("sqlite:" + file)) {
            assertThat(backend.describe()).isEqualTo("sqlite:" + file);
            assertThat(backend.capabilities()).contains(Capability.DURABLE, Capability.MULTI_PROCESS, Capability.TRANSACTIONAL_PUSH);
        }
        assertThat(file).isRegularFile();
    }

    @Test
    void aRelativePathIsResolvedAgainstTheWorkingDirectory() {
        Path file = dir.resolve("relative.db");
        Path relative = Path.of("").toAbsolutePath().relativize(file);
        assertThat(relative.isAbsolute()).isFalse();
        try (Backend backend = Backends.open("sqlite:" + relative)) {
            assertThat(backend.describe()).isEqualTo("sqlite:" + file);
        }
        assertThat(file).isRegularFile();
    }

    @Test
    void memoryIsPrivateAndNeitherDurableNorShared() {
        try (Backend backend = Backends.open("sqlite::memory:?busyTimeout=100")) {
            assertThat(backend.capabilities()).contains(Capability.PRIORITY, Capability.INSPECTION, Capability.WAKEUPS)
                    .doesNotContain(Capability.DURABLE, Capability.MULTI_PROCESS, Capability.TRANSACTIONAL_PUSH);
        }
    }

    @Test
    void errorsShowTheSettingsButNeverAnUnknownParametersValue() {
        assertThatThrownBy(() -> Backends.open("sqlite:" + dir.resolve("a.db") + "?busyTimeout=soon&password=S3cretPW"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("password")
                .hasMessageNotContaining("S3cretPW");
        assertThatThrownBy(() -> Backends.open("sqlite:" + dir.resolve("a.db") + "?synchronous=sometimes&readers=2"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("synchronous=sometimes")
                .hasMessageContaining("readers=2");
        assertThatThrownBy(() -> Backends.open("sqlite:" + dir.resolve("a.db") + "?readers=2&mystery=S3cretPW"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mystery")
                .hasMessageContaining("readers=2")
                .hasMessageNotContaining("S3cretPW");
    }

    @Test
    void knownParametersAreRead() {
        SqliteOptions options = SqliteOptions.fromUrl(DroverUrl.parse("sqlite:x.db?busyTimeout=2500&synchronous=full&readers=4"));
        assertThat(options).isEqualTo(new SqliteOptions(2500, SqliteOptions.Synchronous.FULL, 4));
        assertThat(SqliteOptions.fromUrl(DroverUrl.parse("sqlite:x.db"))).isEqualTo(SqliteOptions.defaults());
    }

    @Test
    void anUnknownParameterIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Backends.open("sqlite:" + dir.resolve("a.db") + "?busytimeout=5"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown parameter \"busytimeout\"")
                .hasMessageContaining("busyTimeout, readers, synchronous");
        assertThat(dir.resolve("a.db")).doesNotExist();
    }

    @Test
    void badParameterValuesAreRefused() {
        assertThatThrownBy(() -> Backends.open("sqlite::memory:?synchronous=sometimes"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("OFF, NORMAL or FULL");
        assertThatThrownBy(() -> Backends.open("sqlite::memory:?busyTimeout=soon"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("busyTimeout").hasMessageContaining("whole number");
        assertThatThrownBy(() -> Backends.open("sqlite::memory:?readers=0"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("readers must be from 1");
    }

    @Test
    void anEmptyPathIsRefusedWithAnExample() {
        assertThatThrownBy(() -> Backends.open("sqlite:"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sqlite: URL needs a file path, e.g. sqlite:jobs.db, or :memory:");
        assertThatThrownBy(() -> Backends.open("sqlite:?readers=2"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("needs a file path");
    }

    @Test
    void aMissingFolderIsNamedAndNotCreated() {
        Path missing = dir.resolve("no-such-folder");
        assertThatThrownBy(() -> Backends.open("sqlite:" + missing.resolve("jobs.db")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("the folder " + missing + " of database jobs.db does not exist");
        assertThat(Files.exists(missing)).isFalse();
    }
}
