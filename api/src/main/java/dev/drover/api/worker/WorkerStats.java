package dev.drover.api.worker;

/** Counters since the worker started. */
public record WorkerStats(long claimed, long completed, long retried, long dead, long released, long leaseLost, long storageFailures,
                          int running) {
}
