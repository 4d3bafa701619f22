package dev.drover.conformance;

import dev.drover.api.TaskId;
import dev.drover.api.worker.WorkerEvent;
import dev.drover.api.worker.WorkerListener;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event of the workers it listens to, for the worker rules to look at. Thread-safe. */
public final class EventLog implements WorkerListener {
    private final List<WorkerEvent> events = new CopyOnWriteArrayList<>();
    private final Map<TaskId, WorkerEvent.TaskCompleted> completed = new ConcurrentHashMap<>();
    private final Map<TaskId, WorkerEvent.TaskDead> dead = new ConcurrentHashMap<>();

    @Override
    public void onEvent(WorkerEvent event) {
        events.add(event);
        if (event instanceof WorkerEvent.TaskCompleted c) completed.put(c.taskId(), c);
        if (event instanceof WorkerEvent.TaskDead d) dead.put(d.taskId(), d);
    }

    public List<WorkerEvent> all() {
        return List.copyOf(events);
    }

    public <E extends WorkerEvent> List<E> all(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public Set<TaskId> completedIds() {
        return Set.copyOf(completed.keySet());
    }

    public Optional<WorkerEvent.TaskCompleted> completion(TaskId id) {
        return Optional.ofNullable(completed.get(id));
    }

    public Optional<WorkerEvent.TaskDead> death(TaskId id) {
        return Optional.ofNullable(dead.get(id));
    }

    public <E extends WorkerEvent> List<E> of(Class<E> type, TaskId id) {
        return all(type).stream().filter(e -> id.equals(taskId(e))).toList();
    }

    private static TaskId taskId(WorkerEvent event) {
        return switch (event) {
            case WorkerEvent.TaskStarted e -> e.taskId();
            case WorkerEvent.TaskCompleted e -> e.taskId();
            case WorkerEvent.TaskRetrying e -> e.taskId();
            case WorkerEvent.TaskDead e -> e.taskId();
            case WorkerEvent.TaskReleased e -> e.taskId();
            case WorkerEvent.TaskStuck e -> e.taskId();
            case WorkerEvent.LeaseLost e -> e.taskId();
            case WorkerEvent.TaskCancelled e -> e.taskId();
            case WorkerEvent.HandlerEnded e -> e.taskId();
            case WorkerEvent.StorageRoundTrip e -> null;
            case WorkerEvent.StorageFailed e -> null;
        };
    }

    /** One event a line, for failure messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (WorkerEvent e : events) sb.append("\n  ").append(e);
        return sb.toString();
    }
}
