package dev.drover.conformance;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import static dev.drover.api.Capability.OLDEST_DUE;
import static dev.drover.api.Capability.PRIORITY;
import static dev.drover.conformance.KitTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storage rule S53: {@link dev.drover.spi.Backend#oldestDue} is the due time of the earliest-due PENDING task that is
 * due now ({@code SPEC.md}); monitors read it for the age of the oldest waiting task. Needs
 * {@link dev.drover.api.Capability#OLDEST_DUE}.
 */
abstract class OldestDueRules extends StorageRules {
    OldestDueRules(StorageContract kit) {
        super(kit);
    }

    @Test
    @DisplayName("S53 (optional: OLDEST_DUE) oldestDue is the due time of the queue's earliest-due PENDING task that is due now: not a scheduled one, a running one, a finished one or another queue's")
    void optional_S53_oldestDueIsTheEarliestDuePendingTask() {
        requires(OLDEST_DUE, "S53");
        QueueName queue = Names.queue();
        QueueName other = Names.queue();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        assertThat(backend().oldestDue(queue)).as("oldestDue of an empty queue").isEmpty();

        push(task(queue).runAt(now.plus(Duration.ofHours(1))).build());
        assertThat(backend().oldestDue(queue)).as("oldestDue with only a task due in an hour").isEmpty();

        push(task(other).runAt(now.minusSeconds(60)).build());
        boolean priorities = has(PRIORITY);
        // On a backend with priorities the oldest task has the highest one, so it is claimed first; elsewhere the claim
        // goes by due time and takes it first anyway. Priorities spread over several values: the earliest due time is
        // found across them, not in the highest priority alone.
        NewTask oldest = push(task(queue).runAt(now.minusSeconds(30)).priority(priorities ? 9 : 0).build());
        NewTask middle = push(task(queue).runAt(now.minusSeconds(20)).priority(priorities ? -3 : 0).build());
        NewTask youngest = push(task(queue).runAt(now.minusSeconds(10)).priority(priorities ? 5 : 0).build());
        assertThat(backend().oldestDue(queue)).as("oldestDue of three due tasks (another queue has an older one)")
                .contains(oldest.runAt());
        assertThat(open().oldestDue(queue)).as("oldestDue through another instance").contains(oldest.runAt());

        ClaimedTask claimed = claimOne(backend(), queue, Names.worker("s53"), LONG_LEASE);
        assertThat(claimed.task().id()).as("the first claimed").isEqualTo(oldest.id());
        assertThat(backend().oldestDue(queue)).as("oldestDue while the oldest task runs").contains(middle.runAt());

        assertThat(settle(backend(), new Settlement.Retry(claimed.lease(), Duration.ofHours(1), "later"))).containsExactly(claimed.lease().token());
        assertThat(backend().oldestDue(queue)).as("oldestDue after the oldest was retried an hour later").contains(middle.runAt());

        List<ClaimedTask> rest = backend().claim(queue, Names.worker("s53"), 10, LONG_LEASE);
        assertThat(ids(rest)).as("the due tasks left").containsExactlyInAnyOrder(middle.id(), youngest.id());
        for (ClaimedTask c : rest) settle(backend(), new Settlement.Complete(c.lease(), null, List.of()));
        assertThat(backend().oldestDue(queue)).as("oldestDue once every due task is DONE").isEmpty();

        NewTask soon = push(task(queue).runAt(Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1_500)).build());
        assertThat(backend().oldestDue(queue)).as("oldestDue with a task due in 1.5 s").isEmpty();
        Await.until(WAIT.plus(CLOCK_TOLERANCE), () -> backend().oldestDue(queue).equals(Optional.of(soon.runAt())),
                "oldestDue reports the task due in 1.5 s once it is due");
    }
}
