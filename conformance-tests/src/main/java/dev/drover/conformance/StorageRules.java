package dev.drover.conformance;

import dev.drover.api.Capability;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.WorkerId;
import dev.drover.spi.Backend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.Settlement;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every group of storage rules uses: the test's backend and further instances of its storage (from the
 * {@link StorageContract} the group runs in), the capability checks, and the small steps the rules are written in.
 * <p>
 * Each group of {@code SPEC.md}'s storage rules is a subclass of this one in a file of its own ({@link SetupRules},
 * {@link ClaimingRules}, ...). {@link StorageContract} declares one {@code @Nested} inner class per group that extends
 * it and hands it the running contract, so a backend module still extends one class and writes one method.
 */
abstract class StorageRules {
    /** Long enough that no lease of this length runs out during a test. */
    static final Duration LONG_LEASE = Duration.ofMinutes(5);
    /** Short enough to wait for, long enough that a claim followed at once by another sees it still held. */
    static final Duration SHORT_LEASE = Duration.ofMillis(300);
    static final Duration WAIT = Duration.ofSeconds(10);
    /** How far a backend's clock may be from this JVM's. */
    static final Duration CLOCK_TOLERANCE = BackendContract.CLOCK_TOLERANCE;
    /** What a claimer in the exclusivity rules "works" on each batch before claiming the next. */
    static final Duration WORK_PAUSE = Duration.ofMillis(2);

    private final StorageContract kit;

    StorageRules(StorageContract kit) {
        this.kit = kit;
    }

    // ---- the running contract ----

    /** The backend this test works with, opened on first use. */
    final Backend backend() {
        return kit.backend();
    }

    /** Another backend instance on the same storage; closed after the test. */
    final Backend open() {
        return kit.open();
    }

    /** Closes every instance opened so far, {@link #backend()} included (closing is idempotent: they are closed again after the test). */
    final void closeEveryInstance() {
        kit.closeEveryInstance();
    }

    /** Closes {@code instances} (opened with {@link #open()}) now rather than after the test. */
    final void closeNow(List<Backend> instances) {
        kit.closeNow(instances);
    }

    /** The URL this test's storage is at. */
    final String url() {
        return kit.url();
    }

    /** This test's own folder (child JVMs' logs). */
    final Path kitDir() {
        return kit.kitDir;
    }

    /** Child JVMs this test started; killed after it. */
    final List<ChildJvm> children() {
        return kit.children;
    }

    final StorageContract kit() {
        return kit;
    }

    final Set<Capability> capabilities() {
        return kit.capabilities();
    }

    final boolean has(Capability capability) {
        return kit.has(capability);
    }

    /** Skips the calling rule, saying why, when the backend does not declare {@code capability}. */
    final void requires(Capability capability, String rule) {
        kit.requires(capability, rule);
    }

    // ---- what the rules are written in ----

    final NewTask push(NewTask task) {
        backend().push(List.of(task));
        return task;
    }

    final List<NewTask> pushAll(List<NewTask> tasks) {
        backend().push(tasks);
        return tasks;
    }

    final TaskRecord stored(QueueName queue, TaskId id) {
        return backend().get(queue, id).orElseThrow(() -> new AssertionError("task " + id + " of " + queue + " is not stored (get returned empty)"));
    }

    static ClaimedTask claimOne(Backend backend, QueueName queue, WorkerId worker, Duration lease) {
        List<ClaimedTask> got = backend.claim(queue, worker, 1, lease);
        assertThat(got).as("claim(%s, max 1) by %s", queue, worker).hasSize(1);
        return got.getFirst();
    }

    static List<TaskId> ids(List<ClaimedTask> claimed) {
        return claimed.stream().map(c -> c.task().id()).toList();
    }

    static List<TaskId> newIds(List<NewTask> tasks) {
        return tasks.stream().map(NewTask::id).toList();
    }

    static Set<LeaseToken> settle(Backend backend, Settlement settlement) {
        return backend.settle(List.of(settlement));
    }

    /** Claims everything due on {@code queue} (long leases), until a claim comes back empty. */
    static List<ClaimedTask> claimAll(Backend backend, QueueName queue, WorkerId worker) {
        List<ClaimedTask> all = new ArrayList<>();
        while (true) {
            List<ClaimedTask> got = backend.claim(queue, worker, 100, LONG_LEASE);
            if (got.isEmpty()) return all;
            all.addAll(got);
        }
    }

    /** Waits until {@code worker} claims {@code expected} from {@code queue} (its earlier lease having run out). */
    static ClaimedTask awaitClaim(Backend backend, QueueName queue, WorkerId worker, Duration lease, TaskId expected) {
        ClaimedTask got = Await.value(WAIT, () -> backend.claim(queue, worker, 1, lease).stream().findFirst(),
                worker + " claims task " + expected + " after its lease ran out");
        assertThat(got.task().id()).as("the task claimed again").isEqualTo(expected);
        return got;
    }

    /** A task claimed under a short lease (stale, now lost) and then claimed again by another worker (fresh). */
    record Takeover(ClaimedTask stale, ClaimedTask fresh) {
    }

    final Takeover takeOver(QueueName queue, TaskId id, WorkerId slow, WorkerId other) {
        ClaimedTask stale = claimOne(backend(), queue, slow, SHORT_LEASE);
        assertThat(stale.task().id()).isEqualTo(id);
        ClaimedTask fresh = awaitClaim(open(), queue, other, LONG_LEASE, id);
        return new Takeover(stale, fresh);
    }
}
