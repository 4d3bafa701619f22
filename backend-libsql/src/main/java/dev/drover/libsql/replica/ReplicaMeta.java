package dev.drover.libsql.replica;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the live replica file holds, {@code <live>.replica.json}: which primary it copies (URL without credentials),
 * the revision and size it was last published at, and the checksum of the shadow image that was published. It is
 * written last in a sync, atomically (temporary file, fsync, rename, fsync of the folder), so it never claims more
 * than the live file has.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; a file with another version is ignored and the replica rebuilt
 * @param remoteUrl the primary's sync URL, never with a token
 * @param revision the primary's revision the live file was published at (opaque; numeric on tursodb)
 * @param dbSize the database size in pages at that revision
 * @param pageSize always 4096
 * @param shadowCrc32c CRC-32C of the shadow image that was published
 * @param syncedAt when it was published
 */
record ReplicaMeta(int formatVersion, String remoteUrl, String revision, long dbSize, int pageSize, long shadowCrc32c,
                   Instant syncedAt) {
    static final int FORMAT_VERSION = 1;
    private static final Logger log = LoggerFactory.getLogger(ReplicaMeta.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    ReplicaMeta {
        Objects.requireNonNull(remoteUrl, "remoteUrl");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(syncedAt, "syncedAt");
    }

    static ReplicaMeta of(String remoteUrl, String revision, ShadowStore.Content content, Instant syncedAt) {
        return new ReplicaMeta(FORMAT_VERSION, remoteUrl, revision, content.dbSizePages(), ShadowStore.PAGE_SIZE,
                content.crc32c(), syncedAt);
    }

    /** {@code <live>.replica.json}. */
    static Path pathFor(Path liveFile) {
        return liveFile.resolveSibling(liveFile.getFileName() + ".replica.json");
    }

    /** The shadow image this meta says was published. */
    ShadowStore.Content content() {
        return new ShadowStore.Content(dbSize, shadowCrc32c);
    }

    /**
     * The meta in {@code file}, or empty when there is none or it cannot be used (unreadable JSON, another format
     * version or page size): the caller then rebuilds the replica from the primary.
     */
    static Optional<ReplicaMeta> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        ReplicaMeta meta;
        try {
            meta = JSON.readValue(bytes, ReplicaMeta.class);
        } catch (JacksonException e) {
            log.warn("ignoring the replica meta file {}: it is not valid ({}); the replica will be rebuilt from the primary",
                    file, e.getOriginalMessage());
            return Optional.empty();
        }
        if (meta.formatVersion() != FORMAT_VERSION || meta.pageSize() != ShadowStore.PAGE_SIZE || meta.dbSize() < 0) {
            log.warn("ignoring the replica meta file {}: format version {} with page size {} (this version writes {} with {}); "
                            + "the replica will be rebuilt from the primary",
                    file, meta.formatVersion(), meta.pageSize(), FORMAT_VERSION, ShadowStore.PAGE_SIZE);
            return Optional.empty();
        }
        return Optional.of(meta);
    }

    /** Replaces {@code file} with this meta atomically and durably. */
    void write(Path file) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) channel.write(buffer);
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw new IOException("the file system of " + file + " cannot rename atomically, which the replica's meta file needs", e);
        }
        syncFolder(file.toAbsolutePath().getParent());
    }

    static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
        syncFolder(file.toAbsolutePath().getParent());
    }

    /** Makes a rename or delete in {@code folder} durable (Linux and macOS; a no-op where folders cannot be opened). */
    private static void syncFolder(Path folder) {
        if (folder == null) return;
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot fsync folder {}: {}", folder, e.toString());
        }
    }
}
