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
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every group of storage rules ({@code SetupRules}, {@code ClaimingRules}, …) works with: the running test's
 * {@link StorageContract} (its storage, its backend instances, its capability checks) and the helpers the rules share.
 * <p>
 * A group's rules live in an abstract class of their own that extends this one; {@link StorageContract} declares a
 * {@code @Nested} inner class for each group that hands it the outer instance, so a backend module still extends one
 * class and writes one method.
 */
abstract class StorageRules {
    /** Long enough that no lease of this length runs out during a test. */
    static final Duration LONG_LEASE = Duration.ofMinutes(5);
    /** Short enough to wait for, long enough that a claim followed at once by another sees it still held. */
    static final Duration SHORT_LEASE = Duration.ofMillis(300);
    static final Duration WAIT = Duration.ofSeconds(10);
    /** What a claimer in the exclusivity rules "works" on each batch before claiming the next. */
    static final Duration WORK_PAUSE = Duration.ofMillis(2);
    /** How far a backend's clock may be from this JVM's. */
    static final Duration CLOCK_TOLERANCE = BackendContract.CLOCK_TOLERANCE;

    /** The suite instance of the running test. */
    final StorageContract kit;

    StorageRules(StorageContract kit) {
        this.kit = kit;
    }

    // ---- the running test's storage ----

    /** The backend this test works with, opened on first use. */
    final Backend backend() {
        return kit.backend();
    }

    /** Another backend instance on the same storage; closed after the test. */
    final Backend open() {
        return kit.open();
    }

    /** The URL this test's storage is at. */
    final String url() {
        return kit.url();
    }

    final boolean has(Capability capability) {
        return kit.has(capability);
    }

    /** Skips the calling rule, saying why, when the backend does not declare {@code capability}. */
    final void requires(Capability capability, String rule) {
        kit.requires(capability, rule);
    }

    /** This test's own temporary folder. */
    final Path kitDir() {
        return kit.kitDir;
    }

    /** Child JVMs a rule started; killed after the test. */
    final List<ChildJvm> children() {
        return kit.children;
    }

    /** Closes every backend instance the test opened (a later {@link #open()} opens a new one). */
    final void closeEveryInstance() {
        kit.closeEveryInstance();
    }

    /** Closes {@code instances}, opened with {@link #open()}, before the test ends. */
    final void closeInstances(List<Backend> instances) {
        kit.closeInstances(instances);
    }

    /** A caller's new JDBC connection to this test's storage ({@link StorageContract#callerConnection(Path)}). */
    final Connection callerConnection() throws Exception {
        return kit.callerConnection(kit.storageDir);
    }

    /** A caller's new JDBC connection to another database ({@link StorageContract#otherDatabaseConnection(Path)}). */
    final Connection otherDatabaseConnection() throws Exception {
        return kit.otherDatabaseConnection(kit.storageDir);
    }

    // ---- helpers the rules share ----

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
