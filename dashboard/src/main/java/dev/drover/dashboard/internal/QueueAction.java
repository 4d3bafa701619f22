package dev.drover.dashboard.internal;

import dev.drover.api.admin.DroverAdmin;

import java.util.Optional;

/** What an operator can do to a whole queue, and what the page asks before doing it. */
enum QueueAction {
    PAUSE("pause", "Pause", "Pause this queue? Workers stop claiming its tasks; running ones finish."),
    RESUME("resume", "Resume", "Resume this queue? Workers claim its tasks again."),
    REQUEUE_DEAD("requeue-dead", "Requeue all dead", "Requeue every dead task of this queue? Each runs again from attempt 1.");

    final String path;
    final String label;
    final String question;

    QueueAction(String path, String label, String question) {
        this.path = path;
        this.label = label;
        this.question = question;
    }

    static Optional<QueueAction> of(String path) {
        for (QueueAction a : values()) if (a.path.equals(path)) return Optional.of(a);
        return Optional.empty();
    }

    /** Does it; how many tasks it requeued (0 for pause and resume). */
    int apply(DroverAdmin admin, String queue) {
        switch (this) {
            case PAUSE -> admin.pause(queue);
            case RESUME -> admin.resume(queue);
            case REQUEUE_DEAD -> {
                return admin.requeueAllDead(queue);
            }
        }
        return 0;
    }

    /** What the page says after it was done. */
    String done(int requeued) {
        return switch (this) {
            case PAUSE -> "Paused: workers claim none of its tasks until it is resumed.";
            case RESUME -> "Resumed: workers claim its tasks again.";
            case REQUEUE_DEAD -> requeued == 1 ? "Requeued 1 dead task." : "Requeued " + requeued + " dead tasks.";
        };
    }
}
