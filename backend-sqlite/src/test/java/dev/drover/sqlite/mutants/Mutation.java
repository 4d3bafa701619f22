package dev.drover.sqlite.mutants;

import java.time.Duration;
import java.util.Locale;

/**
 * A way a backend can break a kit rule, built on top of the real SQLite backend, so the kit's own test
 * ({@link KitMutantsTest}) can show that the rule's assertions fail when the rule is broken.
 */
enum Mutation {
    /** No change: the wrapper alone, which every rule the mutants are run against passes. */
    NONE,
    /** Claims take leases of a third of the duration asked for, and heartbeats extend them by a third: redelivery comes early. */
    THIRD_OF_THE_LEASE,
    /**
     * Claims see the clock {@link #CLAIM_EARLY_BY} ahead: a task is claimed that much before its run_at, a lease taken
     * over that much before it runs out. The leases it grants still end lease-duration after the real now.
     */
    CLAIMS_EARLY,
    /** Declares TRANSACTIONAL_PUSH, but its push on the caller's connection refuses (the SPI's default). */
    DECLARES_PUSH_IT_LACKS,
    /** Does not declare TRANSACTIONAL_PUSH, yet pushes on the caller's connection instead of refusing. */
    DECLARES_NO_PUSH_BUT_PUSHES,
    /** Declares TRANSACTIONAL_PUSH, but commits the caller's transaction after pushing in it, so the tasks exist at once. */
    COMMITS_THE_CALLERS_TRANSACTION,
    /** Declares WAKEUPS and gives no wake-up source. */
    DECLARES_WAKEUPS_IT_LACKS;

    static final Duration CLAIM_EARLY_BY = Duration.ofSeconds(1);

    /** The name in a {@code sqlite-mutant:} URL. */
    String urlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Mutation ofUrlName(String name) {
        for (Mutation m : values()) if (m.urlName().equals(name)) return m;
        throw new IllegalArgumentException("no mutation \"" + name + "\"");
    }
}
