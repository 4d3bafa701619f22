package dev.drover.test;

import dev.drover.api.DoNotRetryException;
import dev.drover.api.Drover;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.drover.test.DroverAssertions.assertNotPushed;
import static dev.drover.test.DroverAssertions.assertPushed;
import static dev.drover.test.Drain.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DroverTest
class DrainTest {
    record Step(String name, int remaining) { }

    @Test
    void drainRunsEveryDueTaskInTheTestThreadIncludingThosePushedByHandlers(Drover drover) {
        TaskQueue<Step> steps = drover.queue("steps", Step.class);
        steps.push(new Step("a", 2));
        steps.push(new Step("b", 0));
        Thread test = Thread.currentThread();
        List<String> ran = new ArrayList<>();
        DrainReport report = drain(drover, steps, task -> {
            assertThat(Thread.currentThread()).as("the thread a handler runs on").isSameAs(test);
            ran.add(task.payload().name() + task.payload().remaining());
            if (task.payload().remaining() > 0) steps.push(new Step(task.payload().name(), task.payload().remaining() - 1));
        });
        assertThat(ran).containsExactly("a2", "b0", "a1", "a0");
        assertThat(report.succeeded()).hasSize(4);
        report.assertAllSucceeded();
        assertThat(steps.counts()).containsEntry(TaskState.DONE, 4L);
    }

    @Test
    void failuresAreReportedNotRetriedAtOnceAndScheduledTasksWait(Drover drover) {
        TaskQueue<Step> steps = drover.queue("steps", Step.class);
        TaskId flaky = steps.push(new Step("flaky", 0));
        TaskId fatal = steps.push(new Step("fatal", 0));
        TaskId last = steps.push(new Step("last", 0), TaskOptions.defaults().maxAttempts(1));
        TaskId later = steps.push(new Step("later", 0), TaskOptions.defaults().runAfter(Duration.ofHours(1)));
        DrainReport report = drain(drover, steps, task -> {
            switch (task.payload().name()) {
                case "flaky", "last" -> throw new IllegalStateException("boom " + task.payload().name());
                case "fatal" -> throw new DoNotRetryException("never");
                default -> throw new AssertionError("ran " + task.payload());
            }
        });
        assertThat(report.succeeded()).isEmpty();
        assertThat(report.retried()).containsOnlyKeys(flaky);
        assertThat(report.dead()).containsOnlyKeys(fatal, last);
        assertThat(steps.get(flaky).orElseThrow().state()).as("the flaky task, waiting for its backoff").isEqualTo(TaskState.PENDING);
        assertThat(steps.get(later).orElseThrow().attempt()).as("attempts of the task scheduled in an hour").isZero();
        assertThatThrownBy(report::assertAllSucceeded).isInstanceOf(AssertionError.class)
                .hasMessageContaining("3 of 3 task(s) failed").hasMessageContaining("boom flaky").hasMessageContaining(fatal.toString());
    }

    @Test
    void aHandlerThatPushesWithoutEndIsStoppedAtTheLimit(Drover drover) {
        TaskQueue<Step> steps = drover.queue("steps", Step.class);
        steps.push(new Step("again", 0));
        assertThatThrownBy(() -> drain(drover, steps, task -> steps.push(task.payload()), 25))
                .isInstanceOf(AssertionError.class).hasMessageContaining("still due after 25 ran");
        assertThat(steps.counts()).containsEntry(TaskState.DONE, 25L);
    }

    @Test
    void assertPushedFindsAMatchingPayloadAndOtherwiseListsWhatIsThere(Drover drover) {
        TaskQueue<Step> steps = drover.queue("steps", Step.class);
        steps.push(new Step("charge", 1));
        steps.push(new Step("ship", 2));
        assertThat(assertPushed(steps, s -> s.name().equals("ship")).state()).isEqualTo(TaskState.PENDING);
        assertPushed(steps, 2, s -> s.remaining() > 0);
        assertNotPushed(steps, s -> s.name().equals("refund"));
        assertThatThrownBy(() -> assertPushed(steps, s -> s.name().equals("refund"))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("queue steps").hasMessageContaining("holds 2 task(s)")
                .hasMessageContaining("Step[name=charge, remaining=1]").hasMessageContaining("Step[name=ship, remaining=2]");
        assertThatThrownBy(() -> assertNotPushed(steps, s -> s.name().equals("ship"))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("found 1");
    }

    @Test
    void drainWorksOnPgmqToo() {
        String url = System.getenv().getOrDefault("DROVER_TEST_PG_URL", "pgmq://postgres@127.0.0.1:5432/test");
        try (Drover drover = Drover.open(url)) {
            TaskQueue<Step> steps = drover.queue("drain_" + UUID.randomUUID().toString().substring(0, 8), Step.class);
            steps.push(new Step("pg", 1));
            List<String> ran = new ArrayList<>();
            drain(drover, steps, task -> {
                ran.add(task.payload().name() + task.payload().remaining());
                if (task.payload().remaining() > 0) steps.push(new Step("pg", 0));
            }).assertAllSucceeded();
            assertThat(ran).containsExactly("pg1", "pg0");
            assertNotPushed(steps, s -> true);
        }
    }
}
