package dev.drover.examples.readme;

import dev.drover.api.Drover;
import dev.drover.api.Retention;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.worker.Worker;

import java.time.Duration;

public final class KeepFinishedTasks {
    record Email(String to) { }

    public static void main(String[] args) {
        try (Drover drover = Drover.open("sqlite:jobs.db");
             Worker<Email> worker = drover.worker(drover.queue("emails", Email.class), task -> send(task.payload()))
                     .retention(Retention.defaults()                       // DONE 7 days, CANCELLED 7 days, DEAD 30 days
                             .keep(TaskState.DONE, Duration.ofHours(1))    // sent emails: an hour is enough
                             .keepForever(TaskState.DEAD))                 // failed ones: until someone looks
                     .start()) {
            TaskQueue<Email> emails = drover.queue("emails", Email.class);
            emails.push(new Email("ada@example.com"));
        }
    }

    static void send(Email email) {
    }
}
