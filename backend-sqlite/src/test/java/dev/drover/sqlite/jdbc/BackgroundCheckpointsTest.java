package dev.drover.sqlite.jdbc;

import dev.drover.conformance.Await;
import dev.drover.sqlite.SqliteOptions;
import dev.drover.sqlite.sql.SqlStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WAL goes back into the database file on the checkpoint thread, not in a writer's COMMIT: the writer's own
 * automatic checkpoint only comes at 10,000 pages, yet the file grows by what was written long before that.
 */
class BackgroundCheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void writtenPagesReachTheDatabaseFileWithoutTheWriterCheckpointing() {
        Path file = dir.resolve("c.db");
        try (JdbcSqlTransport transport = JdbcSqlTransport.open(file, SqliteOptions.defaults())) {
            assertThat(transport.pragmaOnWriter("wal_autocheckpoint")).as("the writer's own automatic checkpoint, a safety net")
                    .isEqualTo(Integer.toString(BackgroundCheckpoints.WRITER_AUTOCHECKPOINT_PAGES));
            transport.write(List.of(SqlStatement.of("CREATE TABLE t (k INTEGER PRIMARY KEY, b BLOB)")));
            long before = size(file);
            for (int batch = 0; batch < 10; batch++) { // 10 transactions of 100 rows of 4 KiB: about 1,000 pages of WAL
                List<SqlStatement> inserts = new ArrayList<>();
                for (int i = 0; i < 100; i++) inserts.add(SqlStatement.of("INSERT INTO t (b) VALUES (?)", new byte[4096]));
                transport.write(inserts);
            }
            Await.until(Duration.ofSeconds(10), () -> size(file) >= before + 4_000_000L,
                    "the 4 MB written to the WAL are copied into the database file (it has " + size(file) + " bytes)");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
