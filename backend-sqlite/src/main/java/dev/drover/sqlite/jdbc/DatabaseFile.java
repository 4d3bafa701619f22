package dev.drover.sqlite.jdbc;

import dev.drover.api.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The database file as it was opened, by identity: its file key (device and inode on Unix). SQLite keeps its
 * connections on the file they opened: when that file is deleted, or another one is moved to its path, they go on
 * reading and writing the old one, which nobody can open again, and every write "succeeds" into a file that is gone
 * once the process ends. {@link #requireUnchanged} notices, with one {@code stat} (about a microsecond, next to the
 * tens of microseconds of a write transaction).
 */
final class DatabaseFile {
    private static final Logger log = LoggerFactory.getLogger(DatabaseFile.class);

    private final Path path;
    /** Null where the file system has no file keys (Windows): then only a file that is gone is noticed. */
    private final Object key;

    private DatabaseFile(Path path, Object key) {
        this.path = path;
        this.key = key;
    }

    /** The file now at {@code path}, which must exist: call right after SQLite opened it. */
    static DatabaseFile opened(Path path) throws IOException {
        return new DatabaseFile(path, Files.readAttributes(path, BasicFileAttributes.class).fileKey());
    }

    /**
     * Fails when {@code path} no longer names the file that was opened: it was deleted (or its folder was), or
     * replaced by another file. A failure to look for another reason is not taken as a change.
     *
     * @param writing a write is waiting to commit (the message says it was not kept), else a read is under way
     */
    void requireUnchanged(boolean writing) {
        String now;
        try {
            Object current = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            if (Objects.equals(current, key)) return;
            now = "another file is at that path now";
        } catch (NoSuchFileException e) {
            now = "no file is at that path now";
        } catch (IOException e) {
            log.debug("could not check that {} is still the database file opened: {}", path, e.toString());
            return;
        }
        String consequence = writing
                ? "this write was not kept (it would have gone to the old file, which nothing can open again)"
                : "this process would read the old file, not the one at that path";
        throw new StorageException("SQLite database " + path + " was deleted or replaced while open (" + now + "): " + consequence
                + "; reopen the backend or restart the application to use a database at " + path + " again", false);
    }
}
