package dev.drover.conformance;

import dev.drover.api.QueueName;
import dev.drover.api.WorkerId;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random names, so every test has queues of its own and server backends can run the kit on one shared database.
 */
public final class Names {
    private Names() {
    }

    /** {@code q_} and ten random lower-case letters: a valid queue name no other test uses. */
    public static QueueName queue() {
        return QueueName.of("q_" + letters(10));
    }

    /** A worker id that says it belongs to the kit and what it plays in the test. */
    public static WorkerId worker(String role) {
        return new WorkerId("kit-" + role + "-" + letters(6));
    }

    public static String letters(int n) {
        StringBuilder sb = new StringBuilder(n);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) sb.append((char) ('a' + random.nextInt(26)));
        return sb.toString();
    }
}
