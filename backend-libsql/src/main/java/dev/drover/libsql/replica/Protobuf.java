package dev.drover.libsql.replica;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few pieces of the protobuf wire format the Turso Sync pull protocol needs, written by hand so the module
 * needs no protobuf library or generated code: varints, length-delimited fields, skipping fields this client does
 * not know, and streams of varint-length-prefixed messages. Zigzag and groups are not needed and not supported.
 */
final class Protobuf {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private Protobuf() {
    }

    /** Bytes that are not the protobuf the reader expected. */
    static final class MalformedMessageException extends IOException {
        MalformedMessageException(String message) {
            super(message);
        }
    }

    /** Builds one message, field by field, in the order the fields are added. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** An integer or enum field; written even when 0 (use {@link #varintIfNonZero} for proto3's default omission). */
        Writer varint(int field, long value) {
            tag(field, VARINT);
            writeVarint(out, value);
            return this;
        }

        Writer varintIfNonZero(int field, long value) {
            return value == 0 ? this : varint(field, value);
        }

        Writer bytes(int field, byte[] value) {
            tag(field, LENGTH_DELIMITED);
            writeVarint(out, value.length);
            out.writeBytes(value);
            return this;
        }

        /** A string field; omitted when empty, as proto3 omits a field at its default value. */
        Writer stringIfNotEmpty(int field, String value) {
            return value == null || value.isEmpty() ? this : bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            if (field < 1 || field > 0x1FFFFFFF) throw new IllegalArgumentException("invalid protobuf field number " + field);
            writeVarint(out, ((long) field << 3) | wireType);
        }
    }

    /** Reads the fields of one message held in a byte array: {@code while (r.next()) switch (r.field()) {...}}. */
    static final class Reader {
        private final byte[] buffer;
        private final int end;
        private int position;
        private int field;
        private int wireType;
        private boolean valueRead = true;

        Reader(byte[] message) {
            this(message, 0, message.length);
        }

        private Reader(byte[] buffer, int offset, int length) {
            this.buffer = buffer;
            this.position = offset;
            this.end = offset + length;
        }

        /** Moves to the next field, skipping the value of the current one if it was not read; false at the end. */
        boolean next() throws MalformedMessageException {
            if (!valueRead) skip();
            if (position >= end) return false;
            long key = readVarint();
            long number = key >>> 3;
            if (number < 1 || number > 0x1FFFFFFF) throw new MalformedMessageException("invalid field number " + number);
            field = (int) number;
            wireType = (int) (key & 7);
            valueRead = false;
            return true;
        }

        int field() {
            return field;
        }

        int wireType() {
            return wireType;
        }

        long varint() throws MalformedMessageException {
            expect(VARINT);
            valueRead = true;
            return readVarint();
        }

        byte[] bytes() throws MalformedMessageException {
            expect(LENGTH_DELIMITED);
            int length = length();
            byte[] value = Arrays.copyOfRange(buffer, position, position + length);
            position += length;
            valueRead = true;
            return value;
        }

        String string() throws MalformedMessageException {
            expect(LENGTH_DELIMITED);
            int length = length();
            String value = new String(buffer, position, length, StandardCharsets.UTF_8);
            position += length;
            valueRead = true;
            return value;
        }

        /** An embedded message, read in place. */
        Reader message() throws MalformedMessageException {
            expect(LENGTH_DELIMITED);
            int length = length();
            Reader inner = new Reader(buffer, position, length);
            position += length;
            valueRead = true;
            return inner;
        }

        /** Skips the current field's value, whatever its wire type. */
        void skip() throws MalformedMessageException {
            switch (wireType) {
                case VARINT -> readVarint();
                case FIXED64 -> advance(8);
                case LENGTH_DELIMITED -> advance(length());
                case FIXED32 -> advance(4);
                default -> throw new MalformedMessageException("unsupported wire type " + wireType + " in field " + field);
            }
            valueRead = true;
        }

        private void expect(int expected) throws MalformedMessageException {
            if (valueRead) throw new IllegalStateException("the value of field " + field + " was already read");
            if (wireType != expected) {
                throw new MalformedMessageException("field " + field + " has wire type " + wireType + ", expected " + expected);
            }
        }

        private int length() throws MalformedMessageException {
            long length = readVarint();
            if (length < 0 || length > end - position) {
                throw new MalformedMessageException("field " + field + " claims " + length + " bytes but " + (end - position) + " remain");
            }
            return (int) length;
        }

        private void advance(int count) throws MalformedMessageException {
            if (count > end - position) throw new MalformedMessageException("field " + field + " runs past the end of the message");
            position += count;
        }

        private long readVarint() throws MalformedMessageException {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) throw new MalformedMessageException("varint runs past the end of the message");
                byte b = buffer[position++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw new MalformedMessageException("varint longer than 10 bytes");
        }
    }

    static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    /**
     * Reads the next message of a stream of varint-length-prefixed messages.
     *
     * @return the message, or null when the stream ends cleanly before a new prefix
     * @throws EOFException when the stream ends inside a prefix or a message (a cut connection)
     * @throws MalformedMessageException for a prefix that is not a varint or claims more than {@code maxLength} bytes
     */
    static byte[] readDelimited(InputStream in, int maxLength) throws IOException {
        int first = in.read();
        if (first < 0) return null;
        long length = first & 0x7F;
        int b = first;
        for (int shift = 7; (b & 0x80) != 0; shift += 7) {
            if (shift >= 64) throw new MalformedMessageException("message length prefix longer than 10 bytes");
            b = in.read();
            if (b < 0) throw new EOFException("stream ended inside a message length prefix");
            length |= (long) (b & 0x7F) << shift;
        }
        if (length < 0 || length > maxLength) {
            throw new MalformedMessageException("message of " + Long.toUnsignedString(length) + " bytes, more than the " + maxLength + " allowed");
        }
        byte[] message = in.readNBytes((int) length);
        if (message.length < length) {
            throw new EOFException("stream ended after " + message.length + " of a message's " + length + " bytes");
        }
        return message;
    }
}
