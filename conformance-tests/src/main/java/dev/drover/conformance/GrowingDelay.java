package dev.drover.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a "not before T" check that only a quick enough machine can decide. A claim that comes back after T (less the
 * clock allowance) says nothing about whether the backend would have refused the task earlier, so such a try proves
 * nothing. The check is then set up again with the delay doubled, and once more; if no try could decide, the rule
 * fails saying the machine was too slow to check it. It never passes without having checked.
 */
final class GrowingDelay {
    /** The first delay, then twice it, then four times it. */
    static final int TRIES = 3;

    /** One try of the check with the given delay. */
    @FunctionalInterface
    interface Try {
        /**
         * Sets the check up with {@code delay} and makes its assertions; returns why it could not decide (the machine
         * answered too late to tell), or empty when it has checked.
         */
        Optional<String> run(Duration delay);
    }

    private GrowingDelay() {
    }

    /** Runs {@code check} with {@code first}, then with twice and four times that delay, until a try decides. */
    static void check(String rule, Duration first, Try check) {
        List<String> undecided = new ArrayList<>();
        Duration delay = first;
        for (int i = 1; i <= TRIES; i++, delay = delay.multipliedBy(2)) {
            Optional<String> why = check.run(delay);
            if (why.isEmpty()) return;
            undecided.add("with " + delay.toMillis() + " ms: " + why.get());
            if (i < TRIES) {
                System.err.println("rule " + rule + " could not decide with a delay of " + delay.toMillis() + " ms (" + why.get()
                        + "); trying again with " + delay.multipliedBy(2).toMillis() + " ms");
            }
        }
        throw new AssertionError("rule " + rule + " could not be checked: this machine answered too slowly on each of " + TRIES
                + " tries (" + String.join("; ", undecided) + "). Run the kit on a less loaded machine.");
    }
}
