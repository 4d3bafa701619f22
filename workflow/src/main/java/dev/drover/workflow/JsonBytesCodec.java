package dev.drover.workflow;

import dev.drover.api.codec.Codec;

/**
 * The codec of a workflow's queue: the payloads are JSON envelopes the {@link StepRunner} reads itself, so the
 * worker hands over the bytes as stored. Named {@code json}, so backends that store JSON natively (PGMQ) do.
 */
final class JsonBytesCodec implements Codec<byte[]> {
    static final JsonBytesCodec INSTANCE = new JsonBytesCodec();

    private JsonBytesCodec() {
    }

    @Override
    public String name() {
        return Engine.CODEC;
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
