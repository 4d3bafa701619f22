package dev.drover.api.worker;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Waits between attempts at a storage call that failed: 100 ms doubling to 5 s, with jitter. */
final class Backoff {
    private Backoff() {
    }

    static Duration storageRetry(int failures) {
        long ms = Math.min(5000, 100L << Math.min(failures - 1, 10));
        long jitter = ThreadLocalRandom.current().nextLong(ms / 4 + 1);
        return Duration.ofMillis(ms - ms / 8 + jitter);
    }
}
