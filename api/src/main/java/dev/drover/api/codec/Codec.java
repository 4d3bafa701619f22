package dev.drover.api.codec;

/**
 * Turns a queue's payload type into bytes and back. {@link #name()} is stored with each task so other tools
 * can tell how to read it. {@link #decode} throws {@link PayloadDecodeException} for bytes it cannot read;
 * the worker then marks that task DEAD with the decode error and goes on.
 */
public interface Codec<T> {
    String name();

    byte[] encode(T value);

    T decode(byte[] bytes);
}
