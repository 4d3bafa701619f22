package dev.drover.examples.readme;

import dev.drover.api.Drover;
import dev.drover.api.QueueLimits;
import dev.drover.api.TaskQueue;

import java.time.Duration;

public final class QueueControls {
    record Email(String to) { }

    public static void main(String[] args) {
        try (Drover drover = Drover.open("sqlite:jobs.db")) {
            TaskQueue<Email> emails = drover.queue("emails", Email.class);

            // at most 5 sending at once, and at most 100 sends in any minute, across every worker of every process
            emails.limit(QueueLimits.none().concurrency(5).rate(100, Duration.ofMinutes(1)));

            emails.pause();                      // e.g. the mail provider is down: no worker starts a new email
            emails.push(new Email("a@example.com")); // still stored; running emails finish
            System.out.println(emails.isPaused() + " " + emails.limits());
            emails.resume();                     // workers claim again at once

            emails.limit(QueueLimits.none());    // no queue-wide limits any more
        }
    }
}
