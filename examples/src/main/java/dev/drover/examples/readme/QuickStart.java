package dev.drover.examples.readme;

import dev.drover.api.Drover;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Monitor;
import dev.drover.api.worker.Worker;

import java.time.Duration;
import java.util.List;

public final class QuickStart {
    record Email(String to, String subject) { }

    public static void main(String[] args) throws Exception {
        try (Drover drover = Drover.open("sqlite:jobs.db")) {                // or Drover.fromEnvironment(): DROVER_URL
            TaskQueue<Email> emails = drover.queue("emails", Email.class);  // JSON payloads (Jackson 3)

            emails.push(new Email("ada@example.com", "Welcome"));
            emails.push(new Email("bob@example.com", "Reminder"),
                    TaskOptions.defaults().priority(5).runAfter(Duration.ofMinutes(10)).maxAttempts(5));
            emails.pushAll(List.of(new Email("cy@example.com", "Hello"), new Email("di@example.com", "Hello")));  // all or none

            Worker<Email> worker = drover.worker(emails, task -> send(task.payload()))
                    .concurrency(8)
                    .start();
            Monitor.of(worker).stopOnShutdownSignal().awaitTermination();    // SIGTERM drains, then releases
        }
    }

    static void send(Email email) {
        System.out.println("sending \"" + email.subject() + "\" to " + email.to());
    }
}
