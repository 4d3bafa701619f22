package dev.drover.libsql.replica;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written protobuf wire codec. */
class ProtobufTest {

    @Test
    @DisplayName("varints round-trip at every width, including negative numbers as 10 bytes")
    void varints() throws Exception {
        long[] values = {0, 1, 127, 128, 300, 16_383, 16_384, Integer.MAX_VALUE, 1L << 35, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        for (long value : values) {
            byte[] message = new Protobuf.Writer().varint(1, value).toByteArray();
            Protobuf.Reader reader = new Protobuf.Reader(message);
            assertThat(reader.next()).isTrue();
            assertThat(reader.field()).isEqualTo(1);
            assertThat(reader.varint()).isEqualTo(value);
            assertThat(reader.next()).isFalse();
        }
        assertThat(new Protobuf.Writer().varint(1, 300).toByteArray()).isEqualTo(HexFormat.of().parseHex("08ac02"));
        assertThat(new Protobuf.Writer().varint(1, -1).toByteArray()).hasSize(11);
    }

    @Test
    @DisplayName("strings and bytes are length-delimited, and a default string is not written")
    void lengthDelimited() throws Exception {
        byte[] message = new Protobuf.Writer()
                .stringIfNotEmpty(2, "")
                .stringIfNotEmpty(3, "héllo")
                .bytes(4, new byte[]{0, (byte) 0xFF})
                .toByteArray();
        Protobuf.Reader reader = new Protobuf.Reader(message);
        assertThat(reader.next()).isTrue();
        assertThat(reader.field()).isEqualTo(3);
        assertThat(reader.string()).isEqualTo("héllo");
        assertThat(reader.next()).isTrue();
        assertThat(reader.field()).isEqualTo(4);
        assertThat(reader.bytes()).containsExactly(0, 0xFF);
        assertThat(reader.next()).isFalse();
    }

    @Test
    @DisplayName("unknown fields of every wire type are skipped, read or not")
    void skipsUnknownFields() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new Protobuf.Writer().varint(20, 99_999).toByteArray());
        out.writeBytes(HexFormat.of().parseHex("a901" + "0102030405060708")); // field 21, fixed64
        out.writeBytes(HexFormat.of().parseHex("b501" + "01020304")); // field 22, fixed32
        out.writeBytes(new Protobuf.Writer().bytes(23, new Protobuf.Writer().varint(1, 5).toByteArray()).toByteArray());
        out.writeBytes(new Protobuf.Writer().stringIfNotEmpty(1, "kept").toByteArray());
        Protobuf.Reader reader = new Protobuf.Reader(out.toByteArray());
        List<Integer> seen = new ArrayList<>();
        String kept = null;
        while (reader.next()) {
            seen.add(reader.field());
            if (reader.field() == 1) kept = reader.string();
            else if (reader.field() == 23) {
                Protobuf.Reader inner = reader.message();
                assertThat(inner.next()).isTrue();
                assertThat(inner.varint()).isEqualTo(5);
            }
            // fields 20 to 22 are left unread: next() skips them
        }
        assertThat(seen).containsExactly(20, 21, 22, 23, 1);
        assertThat(kept).isEqualTo("kept");
    }

    @Test
    @DisplayName("malformed messages are refused, not misread")
    void malformed() {
        assertThatThrownBy(() -> readAll(HexFormat.of().parseHex("1a05616263"))) // claims 5 bytes, has 3
                .isInstanceOf(Protobuf.MalformedMessageException.class).hasMessageContaining("claims 5 bytes");
        assertThatThrownBy(() -> readAll(HexFormat.of().parseHex("08ffffffffffffffffffff01"))) // 11-byte varint
                .isInstanceOf(Protobuf.MalformedMessageException.class).hasMessageContaining("varint");
        assertThatThrownBy(() -> readAll(HexFormat.of().parseHex("0b"))) // wire type 3 (group)
                .isInstanceOf(Protobuf.MalformedMessageException.class).hasMessageContaining("wire type 3");
        assertThatThrownBy(() -> readAll(HexFormat.of().parseHex("0080"))) // field number 0
                .isInstanceOf(Protobuf.MalformedMessageException.class).hasMessageContaining("field number 0");
        assertThatThrownBy(() -> {
            Protobuf.Reader reader = new Protobuf.Reader(new Protobuf.Writer().varint(1, 1).toByteArray());
            reader.next();
            reader.string();
        }).isInstanceOf(Protobuf.MalformedMessageException.class).hasMessageContaining("wire type 0");
    }

    @Test
    @DisplayName("a stream of length-prefixed messages is read message by message; a cut stream is an EOF")
    void delimitedStream() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        byte[] small = "abc".getBytes(StandardCharsets.US_ASCII);
        byte[] large = new byte[4200]; // two-byte length prefix
        for (byte[] m : List.of(small, new byte[0], large)) {
            Protobuf.writeVarint(stream, m.length);
            stream.writeBytes(m);
        }
        ByteArrayInputStream in = new ByteArrayInputStream(stream.toByteArray());
        assertThat(Protobuf.readDelimited(in, 1 << 20)).isEqualTo(small);
        assertThat(Protobuf.readDelimited(in, 1 << 20)).isEmpty();
        assertThat(Protobuf.readDelimited(in, 1 << 20)).isEqualTo(large);
        assertThat(Protobuf.readDelimited(in, 1 << 20)).isNull();

        byte[] cut = stream.toByteArray();
        ByteArrayInputStream truncated = new ByteArrayInputStream(cut, 0, cut.length - 10);
        Protobuf.readDelimited(truncated, 1 << 20);
        Protobuf.readDelimited(truncated, 1 << 20);
        assertThatThrownBy(() -> Protobuf.readDelimited(truncated, 1 << 20)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> Protobuf.readDelimited(new ByteArrayInputStream(new byte[]{(byte) 0x80}), 100))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> Protobuf.readDelimited(new ByteArrayInputStream(HexFormat.of().parseHex("e807")), 100))
                .isInstanceOf(Protobuf.MalformedMessageException.class).hasMessageContaining("1000 bytes");
    }

    private static void readAll(byte[] message) throws Exception {
        Protobuf.Reader reader = new Protobuf.Reader(message);
        while (reader.next()) {
            if (reader.wireType() == Protobuf.LENGTH_DELIMITED) reader.bytes();
            else reader.skip();
        }
    }
}
