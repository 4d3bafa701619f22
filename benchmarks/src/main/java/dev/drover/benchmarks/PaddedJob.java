package dev.drover.benchmarks;

/**
 * The payload of the payload8k scenario: a {@link Job}'s fields and an 8 KiB string, about 8.2 KiB of JSON.
 *
 * @param padding {@link #PADDING} (one shared string: the pushing side holds it once, the stored payloads hold it each)
 */
public record PaddedJob(long seq, long pushedNanos, String padding) {
    public static final int PADDING_BYTES = 8192;
    public static final String PADDING = "x".repeat(PADDING_BYTES);

    public static PaddedJob of(long seq) {
        return new PaddedJob(seq, System.nanoTime(), PADDING);
    }
}
