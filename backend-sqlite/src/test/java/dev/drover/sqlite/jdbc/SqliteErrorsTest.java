package dev.drover.sqlite.jdbc;

import dev.drover.api.StorageException;
import dev.drover.sqlite.jdbc.SqliteErrors.Action;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import static org.assertj.core.api.Assertions.assertThat;

/** What an error says was lost depends on what was being done: a failed read lost no write. */
class SqliteErrorsTest {
    private final SqliteErrors errors = new SqliteErrors("/srv/jobs.db", "sqlite", 5000);

    @Test
    void anIoErrorOnAReadDoesNotSayAWriteWasLost() {
        StorageException read = errors.translate(new SQLiteException("disk I/O error", SQLiteErrorCode.SQLITE_IOERR_READ), Action.READING);
        StorageException write = errors.translate(new SQLiteException("disk I/O error", SQLiteErrorCode.SQLITE_IOERR_WRITE), Action.WRITING);

        assertThat(read.getMessage()).startsWith("I/O error on /srv/jobs.db while reading").doesNotContain("write");
        assertThat(write.getMessage()).startsWith("I/O error on /srv/jobs.db while writing").endsWith("the write was not kept");
    }

    @Test
    void aFullDiskOnAReadDoesNotSayAWriteWasLost() {
        StorageException read = errors.translate(new SQLiteException("database or disk is full", SQLiteErrorCode.SQLITE_FULL), Action.READING);

        assertThat(read.getMessage()).contains("the disk holding /srv/jobs.db is full while reading", "free space").doesNotContain("write");
    }

    @Test
    void aFileThatCannotBeOpenedForAReadIsNotCalledUnwritable() {
        StorageException read = errors.translate(new SQLiteException("unable to open database file", SQLiteErrorCode.SQLITE_CANTOPEN), Action.READING);

        assertThat(read.getMessage()).startsWith("cannot read /srv/jobs.db while reading");
    }
}
