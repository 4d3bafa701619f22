package dev.drover.examples.readme;

import dev.drover.api.AttemptError;
import dev.drover.api.Drover;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskRecord;

/** The README's "Attempt history" example: what a task's failed attempts were. */
public final class AttemptHistory {
    record Email(String to) { }

    public static void main(String[] args) {
        try (Drover drover = Drover.open("sqlite:jobs.db")) {
            TaskQueue<Email> emails = drover.queue("emails", Email.class);
            TaskId id = TaskId.of(args[0]);
            // region history
            TaskRecord task = emails.get(id).orElseThrow();
            for (AttemptError failure : task.attempts()) {
                System.out.printf("attempt %d at %s on %s: %s%n", failure.attempt(), failure.at(), failure.worker(), failure.error());
            }
            // endregion history
        }
    }
}
