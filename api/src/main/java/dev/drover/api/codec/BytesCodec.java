package dev.drover.api.codec;

/** Raw bytes, stored as given. */
public final class BytesCodec implements Codec<byte[]> {
    public static final String NAME = "bytes";
    public static final BytesCodec INSTANCE = new BytesCodec();

    private BytesCodec() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(byte[] value) {
        return value.clone();
    }

    @Override
    public byte[] decode(byte[] bytes) {
        return bytes;
    }
}
