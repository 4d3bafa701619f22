package dev.drover.api.worker;

/** Receives a worker's {@link WorkerEvent}s. An exception thrown here is logged and otherwise ignored. */
@FunctionalInterface
public interface WorkerListener {
    void onEvent(WorkerEvent event);
}
