package dev.drover.spring.boot;

import dev.drover.api.Drover;
import dev.drover.api.TaskState;
import dev.drover.api.admin.QueueSummary;
import dev.drover.api.worker.Worker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health of the application's Drover, for Actuator's health endpoint (either Boot line's indicator reports it):
 * UP when the storage answers and, where handlers are bound, their workers run; DOWN otherwise. Details: the backend
 * (as it describes itself, without secrets), each worker's queue and running tasks, and the dead tasks by queue.
 */
public final class DroverHealth {
    /** Queues read for the dead counts at most: a health check must stay cheap. */
    static final int MAX_QUEUES = 100;

    private final Drover drover;
    private final DroverWorkers workers;

    public DroverHealth(Drover drover, DroverWorkers workers) {
        this.drover = drover;
        this.workers = workers;
    }

    /** One reading. */
    public Reading read() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("backend", drover.admin().describe());
        boolean up = true;
        if (workers != null && workers.handlers() > 0) {
            Map<String, Object> running = new LinkedHashMap<>();
            for (Worker<?> w : workers.workers()) running.put(w.queue().value(), Map.of("worker", w.id().toString(), "running", w.runningTasks().size()));
            details.put("workers", running);
            if (!workers.isRunning()) {
                up = false;
                details.put("workersStopped", "the handlers' workers are not running");
            }
        }
        try {
            Map<String, Long> dead = new LinkedHashMap<>();
            int n = 0;
            for (QueueSummary q : drover.admin().queues()) {
                if (n++ >= MAX_QUEUES) break;
                if (q.count(TaskState.DEAD) > 0) dead.put(q.name().value(), q.count(TaskState.DEAD));
            }
            details.put("dead", dead);
        } catch (RuntimeException e) {
            up = false;
            details.put("error", e.getMessage());
        }
        return new Reading(up, details);
    }

    /**
     * One reading of the health.
     *
     * @param up      whether the storage answers and the workers run
     * @param details what the health endpoint shows
     */
    public record Reading(boolean up, Map<String, Object> details) { }
}
