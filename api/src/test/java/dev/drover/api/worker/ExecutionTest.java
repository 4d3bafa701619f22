package dev.drover.api.worker;

import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The bookkeeping of one claimed task: one decision, and a timed-out run's failure recorded exactly once. */
class ExecutionTest {

    private static Execution execution() {
        QueueName queue = QueueName.of("q");
        TaskId id = TaskId.generate();
        Instant now = Instant.now();
        TaskRecord task = TaskRecord.builder(id, queue)
                .state(TaskState.RUNNING)
                .runAt(now)
                .attempt(1)
                .maxAttempts(3)
                .payload(new byte[0])
                .codec("json")
                .leaseOwner("w")
                .leaseExpiresAt(now.plusSeconds(30))
                .enqueuedAt(now)
                .startedAt(now)
                .build();
        return new Execution(new ClaimedTask(task, new Lease(id, queue, WorkerId.generate("q"), new LeaseToken("t"), now.plusSeconds(30))));
    }

    @Test
    void aRunThatReturnedCannotTimeOutAfterwards() {
        Execution ex = execution();
        assertThat(ex.decide()).isTrue();
        assertThat(ex.decideTimedOut(System.nanoTime())).isFalse();
        assertThat(ex.timedOut()).isFalse();
        assertThat(ex.takeTimeoutOutcome()).as("a failure to record for a run that did not time out").isFalse();
    }

    @Test
    void aTimedOutRunWaitsForItsThreadUntilItsFailureIsTaken() {
        Execution ex = execution();
        assertThat(ex.decideTimedOut(System.nanoTime())).isTrue();
        assertThat(ex.decide()).as("the handler returning after its timeout decides nothing").isFalse();
        assertThat(ex.awaitingItsThread()).isTrue();
        assertThat(ex.takeTimeoutOutcome()).isTrue();
        assertThat(ex.awaitingItsThread()).isFalse();
        assertThat(ex.takeTimeoutOutcome()).as("a second recording of the same failure").isFalse();
    }

    @Test
    void theThreadEndingAndTheWorkerGivingUpRecordTheFailureOnce() throws InterruptedException {
        for (int round = 0; round < 200; round++) {
            Execution ex = execution();
            ex.decideTimedOut(System.nanoTime());
            AtomicInteger recorded = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> racers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                racers.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (ex.takeTimeoutOutcome()) recorded.incrementAndGet();
                }));
            }
            go.countDown();
            for (Thread t : racers) t.join();
            assertThat(recorded.get()).as("round %d: times the failure was recorded", round).isEqualTo(1);
        }
    }
}
