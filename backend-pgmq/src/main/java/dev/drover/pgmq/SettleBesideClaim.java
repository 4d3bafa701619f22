package dev.drover.pgmq;

import dev.drover.api.QueueName;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.SettledThenClaimed;
import dev.drover.spi.Settlement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A worker's cycle on PostgreSQL with its settlements and its claim on two connections at once, when neither can change
 * what the other does. A drain's cost is the server's work for both statements, done by one backend process each; run one
 * after the other they leave the second core idle (profile: one postgres process at 80% CPU, the JVM at 13%).
 *
 * <p>They are independent when every settlement takes its task out of the live queue for good (a completion without
 * follow-ups, a kill) and the claimed queue has no concurrency or rate limit. Then the sequential order's claim cannot
 * take any settled task (they are leased, not due), nor gain a slot by a completion. A release or a retry makes a task
 * due that the same call must be able to claim (kit rule S35), a follow-up may be pushed to the claimed queue, and a
 * completion frees a limited queue's slot: those cycles stay sequential. One exception, the same as with two workers: a
 * settled task whose lease has already run out may be claimed again before its settlement lands, which then finds its
 * lease gone and changes nothing, as a late settlement does.
 *
 * <p>Should the settlements fail while the claim succeeded, the claimed tasks are released (best effort) before the
 * settlements' error is thrown, so they are not held until their leases end.
 */
final class SettleBesideClaim {
    private static final Logger log = LoggerFactory.getLogger(SettleBesideClaim.class);

    private SettleBesideClaim() {
    }

    /** Whether {@code settlements} and a claim of {@code queue} may run at once (see the class comment). */
    static boolean independent(List<Settlement> settlements, boolean queueLimited) {
        if (queueLimited || settlements.isEmpty()) return false;
        for (Settlement s : settlements) {
            boolean leavesTheQueue = s instanceof Settlement.Complete c && c.then().isEmpty() || s instanceof Settlement.Kill;
            if (!leavesTheQueue) return false;
        }
        return true;
    }

    /** Settles on a virtual thread while claiming on this one; both are done when it returns. */
    static SettledThenClaimed run(QueueName queue, Supplier<Set<LeaseToken>> settle, Supplier<List<ClaimedTask>> claim,
                                  Function<List<Settlement>, Set<LeaseToken>> release) {
        CompletableFuture<Set<LeaseToken>> settled = new CompletableFuture<>();
        Thread.ofVirtual().name("drover-settle-" + queue.value()).start(() -> {
            try {
                settled.complete(settle.get());
            } catch (Throwable e) {
                settled.completeExceptionally(e);
            }
        });
        List<ClaimedTask> claimed = List.of();
        RuntimeException claimError = null;
        try {
            claimed = claim.get();
        } catch (RuntimeException e) {
            claimError = e;
        }
        Set<LeaseToken> applied;
        try {
            applied = settled.join();
        } catch (CompletionException e) {
            if (!claimed.isEmpty()) releaseQuietly(claimed, release);
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
        return new SettledThenClaimed(applied, claimed, claimError);
    }

    private static void releaseQuietly(List<ClaimedTask> claimed, Function<List<Settlement>, Set<LeaseToken>> release) {
        try {
            release.apply(claimed.stream().<Settlement>map(t -> new Settlement.Release(t.lease())).toList());
        } catch (RuntimeException e) {
            log.warn("{} claimed task(s) could not be given back after the settlements beside their claim failed; they run again "
                    + "when their leases end: {}", claimed.size(), e.getMessage());
        }
    }
}
