package dev.drover.api.worker;

/**
 * Counters since the worker started.
 *
 * @param stuck runs that timed out and ignored their interrupt ({@link WorkerEvent.TaskStuck})
 * @param running tasks whose handlers are running or whose outcomes are being written
 */
public record WorkerStats(long claimed, long completed, long retried, long dead, long released, long leaseLost, long stuck,
                          long storageFailures, int running) {
}
