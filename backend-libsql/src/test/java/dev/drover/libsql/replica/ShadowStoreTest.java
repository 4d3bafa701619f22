package dev.drover.libsql.replica;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shadow image: page placement, cutting to size, the page-1 checks and damage detection. */
class ShadowStoreTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("pages land at id x 4096 in any order; finish cuts the image to the database size and flushes it")
    void pagesAndSize() throws Exception {
        ShadowStore store = new ShadowStore(dir.resolve("live.db.shadow"));
        ShadowStore.Content content;
        try (ShadowStore.Patch patch = store.beginPatch(true)) {
            patch.write(2, filled(2));
            patch.write(0, PullUpdatesClientTest.sqlitePage());
            patch.write(1, filled(1));
            patch.write(3, filled(3)); // beyond the size the server then reports: cut
            content = patch.finish(3);
        }
        byte[] image = Files.readAllBytes(store.file());
        assertThat(image).hasSize(3 * 4096);
        assertThat(Arrays.copyOfRange(image, 4096, 8192)).isEqualTo(filled(1));
        assertThat(Arrays.copyOfRange(image, 8192, 12288)).isEqualTo(filled(2));
        assertThat(content.dbSizePages()).isEqualTo(3);
        assertThat(store.holds(content)).isTrue();

        try (ShadowStore.Patch patch = store.beginPatch(false)) { // a later, smaller patch keeps the other pages
            patch.write(1, filled(9));
            content = patch.finish(3);
        }
        image = Files.readAllBytes(store.file());
        assertThat(Arrays.copyOfRange(image, 4096, 8192)).isEqualTo(filled(9));
        assertThat(Arrays.copyOfRange(image, 8192, 12288)).isEqualTo(filled(2));
        assertThat(store.holds(content)).isTrue();
    }

    @Test
    @DisplayName("the header is normalised: rollback-journal format bytes, a page count that matches the file")
    void headerNormalised() throws Exception {
        byte[] page = PullUpdatesClientTest.sqlitePage();
        page[24] = 0; page[25] = 0; page[26] = 0; page[27] = 1; // change counter 1
        page[92] = 0; page[93] = 0x2E; page[94] = (byte) 0x7E; page[95] = 0x58; // version-valid-for 3047000 (as tursodb writes)
        byte[] header = ShadowStore.checkAndNormalise(Arrays.copyOf(page, 100), 7);
        assertThat(header[18]).isEqualTo((byte) 1);
        assertThat(header[19]).isEqualTo((byte) 1);
        assertThat(ByteBuffer.wrap(header, 28, 4).getInt()).isEqualTo(7);
        assertThat(ByteBuffer.wrap(header, 92, 4).getInt()).isEqualTo(ByteBuffer.wrap(header, 24, 4).getInt());
    }

    @Test
    @DisplayName("page 1 must be a SQLite header for 4096-byte pages, formats 1 or 2, no reserved bytes")
    void pageOneChecks() {
        assertRefused(p -> p[0] = 'X', "SQLite header string");
        assertRefused(p -> p[16] = 0x04, "page size of 1024");
        assertRefused(p -> { p[16] = 0; p[17] = 1; }, "page size of 65536");
        assertRefused(p -> p[18] = (byte) 255, "file format versions 255/2");
        assertRefused(p -> p[20] = 12, "reserves 12 bytes");
        assertRefused(p -> p[21] = 65, "payload fractions 65/32/32");
    }

    @Test
    @DisplayName("an image missing pages, or with a bad page 1, is refused")
    void incompleteImageRefused() throws Exception {
        ShadowStore store = new ShadowStore(dir.resolve("live.db.shadow"));
        try (ShadowStore.Patch patch = store.beginPatch(true)) {
            patch.write(0, PullUpdatesClientTest.sqlitePage());
            assertThatThrownBy(() -> patch.finish(2)).isInstanceOf(ShadowStore.InvalidImageException.class)
                    .hasMessageContaining("did not send every page");
        }
        try (ShadowStore.Patch patch = store.beginPatch(true)) {
            patch.write(0, filled(5));
            assertThatThrownBy(() -> patch.finish(1)).isInstanceOf(ShadowStore.InvalidImageException.class);
        }
        try (ShadowStore.Patch patch = store.beginPatch(true)) {
            assertThat(patch.finish(0)).isEqualTo(ShadowStore.Content.EMPTY); // an empty primary
        }
    }

    @Test
    @DisplayName("a flipped byte, a cut or a missing file no longer holds the recorded content")
    void damageIsSeen() throws Exception {
        ShadowStore store = new ShadowStore(dir.resolve("live.db.shadow"));
        ShadowStore.Content content;
        try (ShadowStore.Patch patch = store.beginPatch(true)) {
            patch.write(0, PullUpdatesClientTest.sqlitePage());
            patch.write(1, filled(1));
            content = patch.finish(2);
        }
        try (FileChannel channel = FileChannel.open(store.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[]{(byte) 0xAA}), 5000);
            assertThat(store.holds(content)).isFalse();
            channel.write(ByteBuffer.wrap(new byte[]{1}), 5000); // the original byte of filled(1)
            assertThat(store.holds(content)).isTrue();
            channel.truncate(4096 + 2048);
            assertThat(store.holds(content)).isFalse();
        }
        store.delete();
        assertThat(store.holds(content)).isFalse();
        assertThat(store.holds(ShadowStore.Content.EMPTY)).isFalse();
    }

    private interface Edit {
        void apply(byte[] page);
    }

    private static void assertRefused(Edit edit, String message) {
        byte[] page = PullUpdatesClientTest.sqlitePage();
        edit.apply(page);
        assertThatThrownBy(() -> ShadowStore.checkAndNormalise(Arrays.copyOf(page, 100), 1))
                .isInstanceOf(ShadowStore.InvalidImageException.class).hasMessageContaining(message);
    }

    private static byte[] filled(int value) {
        byte[] page = new byte[4096];
        Arrays.fill(page, (byte) value);
        return page;
    }
}
