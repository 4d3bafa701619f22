package dev.drover.sqlite;

import dev.drover.api.Drover;
import dev.drover.api.FinishedMinute;
import dev.drover.api.InvalidTaskException;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.admin.DroverAdmin;
import dev.drover.api.admin.QueueSummary;
import dev.drover.api.admin.TaskPage;
import dev.drover.api.WorkerId;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DroverAdmin} on a real SQLite file: what it composes from the SPI (paging cursors, a full throughput window,
 * requeueing every dead task in batches, purging, pushing raw JSON). The storage operations it uses are kit rules
 * S54-S57, run on every backend.
 */
class DroverAdminTest {
    record Job(int n) { }

    @TempDir
    Path dir;

    @Test
    void pagesCarryCursorsBothWaysAndMeetEveryTaskOnce() {
        try (Drover drover = Drover.open("sqlite:" + dir.resolve("jobs.db"))) {
            TaskQueue<Job> jobs = drover.queue("jobs", Job.class);
            List<TaskId> ids = jobs.pushAll(IntStream.range(0, 10).mapToObj(Job::new).toList());
            DroverAdmin admin = drover.admin();
            List<TaskId> forward = new ArrayList<>();
            TaskPage page = admin.tasks("jobs", null, null, null, 4);
            assertThat(page.previousBefore()).as("no page before the first").isNull();
            List<TaskPage> pages = new ArrayList<>();
            while (true) {
                pages.add(page);
                page.tasks().forEach(t -> forward.add(t.id()));
                if (page.nextAfter() == null) break;
                page = admin.tasks("jobs", null, page.nextAfter(), null, 4);
            }
            assertThat(forward).as("every task once, in id order").containsExactlyElementsOf(ids.stream().sorted(java.util.Comparator.comparing(TaskId::value)).toList());
            assertThat(pages).extracting(p -> p.tasks().size()).containsExactly(4, 4, 2);
            TaskPage back = admin.tasks("jobs", null, null, pages.get(2).previousBefore(), 4);
            assertThat(back.tasks()).as("the page before the last").isEqualTo(pages.get(1).tasks());
            assertThat(back.nextAfter()).isNotNull();
            TaskPage first = admin.tasks("jobs", null, null, back.previousBefore(), 4);
            assertThat(first.tasks()).isEqualTo(pages.get(0).tasks());
            assertThat(first.previousBefore()).as("the first page, reached backwards").isNull();
            assertThat(admin.tasks("jobs", TaskState.DEAD, null, null, 4)).isEqualTo(new TaskPage(List.of(), null, null));
        }
    }

    @Test
    void queuesThroughputRequeueAllDeadPurgeAndFind() {
        try (Drover drover = Drover.open("sqlite:" + dir.resolve("jobs.db"))) {
            TaskQueue<Job> jobs = drover.queue("jobs", Job.class);
            jobs.pushAll(IntStream.range(0, 5).mapToObj(Job::new).toList());
            List<ClaimedTask> claimed = drover.backend().claim(jobs.name(), new WorkerId("admin-test"), 5, Duration.ofMinutes(1));
            List<Settlement> outcomes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                outcomes.add(i < 2 ? new Settlement.Complete(claimed.get(i).lease(), null) : new Settlement.Kill(claimed.get(i).lease(), "boom"));
            }
            drover.backend().settle(outcomes);
            DroverAdmin admin = drover.admin();
            drover.queue("quiet", Job.class).pause();

            assertThat(admin.queues()).extracting(q -> q.name().value()).containsExactly("jobs", "quiet");
            QueueSummary summary = admin.queue("jobs");
            assertThat(summary.count(TaskState.DONE)).isEqualTo(2);
            assertThat(summary.count(TaskState.DEAD)).isEqualTo(3);
            assertThat(summary.count(TaskState.PENDING)).as("a state with no task").isZero();
            assertThat(admin.queue("quiet").paused()).isTrue();

            List<FinishedMinute> minutes = admin.throughput("jobs", 60);
            assertThat(minutes).as("one entry per minute").hasSize(60);
            assertThat(minutes.getLast().done() + minutes.get(58).done()).as("DONE in the last two minutes").isEqualTo(2);
            assertThat(minutes.stream().mapToLong(FinishedMinute::dead).sum()).isEqualTo(3);

            TaskId done = claimed.get(0).task().id();
            assertThat(admin.find(done)).map(TaskRecord::state).contains(TaskState.DONE);
            assertThat(admin.find(TaskId.of("no-such-task"))).isEmpty();

            assertThat(admin.requeueAllDead("jobs")).isEqualTo(3);
            assertThat(admin.queue("jobs").count(TaskState.PENDING)).isEqualTo(3);
            assertThat(admin.purge("jobs", TaskState.DONE, Duration.ofDays(1))).as("nothing finished a day ago").isZero();
            assertThat(admin.purge("jobs", TaskState.DONE, Duration.ZERO)).isEqualTo(2);
            assertThat(admin.queue("jobs").count(TaskState.DONE)).isZero();
            assertThatThrownBy(() -> admin.purge("jobs", TaskState.PENDING, Duration.ZERO)).hasMessageContaining("cancel them first");
        }
    }

    @Test
    void pushTakesJsonAsGivenAndRefusesWhatIsNotJson() {
        try (Drover drover = Drover.open("sqlite:" + dir.resolve("jobs.db"))) {
            DroverAdmin admin = drover.admin();
            TaskId id = admin.push("jobs", "{\"n\": 7}", TaskOptions.defaults().priority(3));
            TaskRecord task = admin.get("jobs", id).orElseThrow();
            assertThat(new String(task.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"n\": 7}");
            assertThat(task.priority()).isEqualTo(3);
            assertThat(drover.queue("jobs", Job.class).codec().decode(task.payload())).isEqualTo(new Job(7));
            assertThatThrownBy(() -> admin.push("jobs", "{n: 7", null)).isInstanceOf(InvalidTaskException.class)
                    .hasMessageContaining("is not JSON");
            assertThatThrownBy(() -> admin.queue("Not A Queue")).isInstanceOf(InvalidTaskException.class);
        }
    }
}
