package dev.drover.libsql.replica;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The replica's private page image, {@code <live>.shadow}: the primary's pages at the last pulled revision, patched
 * with plain file writes (never seen by SQLite while it changes), then published into the live file with SQLite's
 * backup API. Before an image may be published it is cut to the database size, checked (page 1 must be a SQLite
 * header for 4096-byte pages with no reserved bytes) and flushed to disk; its CRC-32C identifies it in the meta file,
 * so a torn or damaged shadow is recognised and rebuilt rather than published.
 * <p>
 * Two header fields of the image are normalised, which SQLite allows: the read/write format bytes become 1 (rollback
 * journal), so opening the image as a backup source creates no {@code -wal}/{@code -shm} beside it (the backup writes
 * WAL mode back into the live file, which is in WAL mode); and the in-header page count is set to the real size with
 * a matching version-valid-for number (Turso's pages leave them stale, which makes SQLite fall back to the file length).
 */
final class ShadowStore {
    static final int PAGE_SIZE = PullUpdatesClient.PAGE_SIZE;
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = 100;

    /** What an image holds: its size in pages and the CRC-32C of all its bytes. */
    record Content(long dbSizePages, long crc32c) {
        static final Content EMPTY = new Content(0, 0);
    }

    /** An image that must not be published, and why. */
    static final class InvalidImageException extends Exception {
        InvalidImageException(String message) {
            super(message);
        }
    }

    private final Path file;

    ShadowStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Opens the image for writing pages; {@code fromScratch} empties it first (a bootstrap). */
    Patch beginPatch(boolean fromScratch) throws IOException {
        FileChannel channel = fromScratch
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ,
                        StandardOpenOption.TRUNCATE_EXISTING)
                : FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        return new Patch(channel);
    }

    /** Whether the image on disk holds exactly {@code expected} (size and checksum); false when it is missing. */
    boolean holds(Content expected) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() != expected.dbSizePages() * PAGE_SIZE) return false;
            return checksum(channel) == expected.crc32c();
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    private static long checksum(FileChannel channel) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        long position = 0;
        while (true) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read < 0) break;
            position += read;
            buffer.flip();
            crc.update(buffer);
        }
        return crc.getValue();
    }

    /** One round of page writes into the image, ended by {@link #finish}. */
    final class Patch implements AutoCloseable {
        private final FileChannel channel;
        private long pagesWritten;

        private Patch(FileChannel channel) {
            this.channel = channel;
        }

        /** Writes one page at its place ({@code pageId * 4096}). */
        void write(long pageId, byte[] page) throws IOException {
            if (page.length != PAGE_SIZE) throw new IllegalArgumentException("a page has " + PAGE_SIZE + " bytes, not " + page.length);
            ByteBuffer buffer = ByteBuffer.wrap(page);
            long position = pageId * PAGE_SIZE;
            while (buffer.hasRemaining()) position += channel.write(buffer, position);
            pagesWritten++;
        }

        long pagesWritten() {
            return pagesWritten;
        }

        /**
         * Cuts the image to {@code dbSizePages}, checks it, normalises its header, flushes it to disk and returns what it
         * now holds.
         *
         * @throws InvalidImageException when the image is shorter than the size (pages missing) or page 1 is not a
         *         header this replica can publish; the image is then left as it is, to be rebuilt
         */
        Content finish(long dbSizePages) throws IOException, InvalidImageException {
            long bytes = dbSizePages * PAGE_SIZE;
            if (channel.size() > bytes) channel.truncate(bytes);
            if (channel.size() < bytes) {
                throw new InvalidImageException("the image has " + channel.size() / PAGE_SIZE + " pages but the database has "
                        + dbSizePages + ": the server did not send every page");
            }
            if (dbSizePages > 0) {
                ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
                while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                    // read the whole header
                }
                byte[] normalised = checkAndNormalise(header.array(), dbSizePages);
                ByteBuffer out = ByteBuffer.wrap(normalised);
                long position = 0;
                while (out.hasRemaining()) position += channel.write(out, position);
            }
            channel.force(true);
            return new Content(dbSizePages, checksum(channel));
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Checks page 1's database header and returns it normalised (see the class comment). Package-private for tests. */
    static byte[] checkAndNormalise(byte[] header, long dbSizePages) throws InvalidImageException {
        if (header.length < HEADER_BYTES || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new InvalidImageException("page 1 does not start with the SQLite header string \"SQLite format 3\": "
                    + "the pages are not a SQLite database (an encrypted database?)");
        }
        int pageSize = ((header[16] & 0xFF) << 8) | (header[17] & 0xFF);
        if (pageSize == 1) pageSize = 65536;
        if (pageSize != PAGE_SIZE) {
            throw new InvalidImageException("page 1 declares a page size of " + pageSize + " bytes; the pull protocol carries "
                    + PAGE_SIZE + "-byte pages only");
        }
        int write = header[18] & 0xFF;
        int read = header[19] & 0xFF;
        if (write < 1 || write > 2 || read < 1 || read > 2) {
            throw new InvalidImageException("page 1 declares file format versions " + write + "/" + read
                    + " (1 or 2 expected): a database in a format SQLite cannot read, such as Turso's MVCC mode");
        }
        int reserved = header[20] & 0xFF;
        if (reserved != 0) {
            throw new InvalidImageException("page 1 reserves " + reserved + " bytes at the end of every page (encryption or page "
                    + "checksums), which this replica cannot publish");
        }
        if ((header[21] & 0xFF) != 64 || (header[22] & 0xFF) != 32 || (header[23] & 0xFF) != 32) {
            throw new InvalidImageException("page 1 has payload fractions " + (header[21] & 0xFF) + "/" + (header[22] & 0xFF) + "/"
                    + (header[23] & 0xFF) + " where SQLite requires 64/32/32: the pages are not a SQLite database");
        }
        byte[] normalised = Arrays.copyOf(header, HEADER_BYTES);
        normalised[18] = 1;
        normalised[19] = 1;
        putInt(normalised, 28, (int) dbSizePages);
        System.arraycopy(normalised, 24, normalised, 92, 4); // version-valid-for = change counter: the size field counts
        return normalised;
    }

    private static void putInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    @Override
    public String toString() {
        return "ShadowStore[" + file + "]";
    }
}
