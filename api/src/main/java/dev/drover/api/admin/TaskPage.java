package dev.drover.api.admin;

import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;

import java.util.List;

/**
 * One page of a queue's tasks, in id order, and the cursors to its neighbours.
 *
 * @param tasks          the page
 * @param previousBefore pass as {@code before} for the page before this one; null when this is the first page
 * @param nextAfter      pass as {@code after} for the page after this one; null when this is the last page
 */
public record TaskPage(List<TaskRecord> tasks, TaskId previousBefore, TaskId nextAfter) {
    public TaskPage {
        tasks = List.copyOf(tasks);
    }
}
