package dev.drover.conformance;

import dev.drover.api.Capability;
import dev.drover.api.Drover;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.api.UnsupportedCapabilityException;
import dev.drover.api.WorkerId;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.DroverUrl;
import dev.drover.spi.Settlement;
import dev.drover.spi.WakeupSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.drover.api.Capability.DURABLE;
import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.api.Capability.WAKEUPS;
import static dev.drover.conformance.KitTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Storage rules S1-S3: opening and setup ({@code SPEC.md}).
 * <p>
 * A backend runs them through {@link StorageContract}, whose nested class {@code Setup} binds them to the
 * storage of the running test.
 */
abstract class SetupRules extends StorageRules {
    SetupRules(StorageContract kit) {
        super(kit);
    }

    @Test
    @DisplayName("S1 (required) Backends.open(url) finds the backend through ServiceLoader; it describes itself, declares its capabilities and closes idempotently")
    void required_S01_backendIsDiscoveredByUrlScheme() {
        String scheme = DroverUrl.parse(url()).scheme();
        assertThat(Backends.providers()).as("BackendProviders on the class path")
                .anySatisfy(p -> assertThat(p.schemes()).contains(scheme));
        Backend backend = open();
        assertThat(backend.describe()).as("describe()").isNotBlank();
        Set<Capability> declared = backend.capabilities();
        String who = backend.describe();
        assertThat(declared).as("capabilities() of %s", who).isNotNull();
        // the kit decides which optional rules apply on one instance: every instance must say the same
        assertThat(backend.capabilities()).as("capabilities() of %s, asked again", who).isEqualTo(declared);
        assertThat(open().capabilities()).as("capabilities() of another instance on %s", who).isEqualTo(declared);
        // a capability it does not declare: its methods refuse, naming it, and change nothing (one declared is checked by its rules)
        QueueName queue = Names.queue();
        if (!declared.contains(Capability.TRANSACTIONAL_PUSH)) {
            assertThatThrownBy(() -> backend.push(List.of(task(queue).build()), (Connection) null))
                    .as("push on a caller's connection to %s, which declares no TRANSACTIONAL_PUSH", who)
                    .isInstanceOfSatisfying(UnsupportedCapabilityException.class,
                            e -> assertThat(e.capability()).as("the capability it names").isEqualTo(Capability.TRANSACTIONAL_PUSH));
            assertThat(backend.claim(queue, Names.worker("s1"), 10, LONG_LEASE)).as("tasks of the refused push").isEmpty();
        }
        if (!declared.contains(INSPECTION)) {
            assertThatThrownBy(() -> backend.counts(queue)).as("counts on %s, which declares no INSPECTION", who)
                    .isInstanceOfSatisfying(UnsupportedCapabilityException.class,
                            e -> assertThat(e.capability()).as("the capability it names").isEqualTo(INSPECTION));
        }
        if (declared.contains(WAKEUPS)) {
            assertThat(backend.wakeups()).as("wakeups() of %s, which declares WAKEUPS", who).isNotNull().isNotSameAs(WakeupSource.NONE);
        }
        backend.close();
        backend.close(); // idempotent
        try (Drover drover = Drover.open(url())) {
            assertThat(drover.backend().describe()).isNotBlank();
            assertThat(drover.backend().capabilities()).as("capabilities() of the backend Drover.open opened").isEqualTo(declared);
        }
    }

    @Test
    @DisplayName("S2 (required) Opening the same storage several times, at once or one after another, sets it up once and every instance works on the same data")
    void required_S02_setupIsIdempotent() throws Exception {
        QueueName queue = Names.queue();
        int racers = 4;
        CyclicBarrier together = new CyclicBarrier(racers);
        List<NewTask> pushed = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                done.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    Backend backend = open(); // first-time setup, racing the others
                    NewTask task = task(queue).build();
                    backend.push(List.of(task));
                    pushed.add(task);
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        Set<TaskId> expected = new HashSet<>(newIds(pushed));
        // one after another: open, push, close, three times, while the racers' instances stay open
        for (int i = 0; i < 3; i++) {
            Backend again = Backends.open(url());
            try {
                NewTask task = task(queue).build();
                again.push(List.of(task));
                expected.add(task.id());
            } finally {
                again.close();
                again.close();
            }
        }
        assertThat(ids(claimAll(open(), queue, Names.worker("setup"))))
                .as("every task pushed through every instance, seen by a new instance")
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @DisplayName("S3 (optional: DURABLE) Tasks, their states, payloads and unexpired leases survive closing every instance and reopening the storage")
    void optional_S03_tasksSurviveReopen() {
        requires(DURABLE, "S3");
        QueueName queue = Names.queue();
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) i;
        NewTask done = push(task(queue).build());
        NewTask running = push(task(queue).build());
        NewTask pending = push(task(queue).payload(binary).metadata(Map.of("k", "v")).build());
        WorkerId worker = Names.worker("before-reopen");
        ClaimedTask first = claimOne(backend(), queue, worker, LONG_LEASE);
        assertThat(first.task().id()).isEqualTo(done.id());
        assertThat(settle(backend(), new Settlement.Complete(first.lease(), null))).contains(first.lease().token());
        ClaimedTask second = claimOne(backend(), queue, worker, LONG_LEASE);
        assertThat(second.task().id()).isEqualTo(running.id());

        closeEveryInstance();
        Backend reopened = open();

        List<ClaimedTask> after = claimAll(reopened, queue, Names.worker("after-reopen"));
        assertThat(ids(after)).as("due after reopening: only the pending task (the done one is done, the running one still leased)")
                .containsExactly(pending.id());
        assertThat(after.getFirst().task().payload()).isEqualTo(binary);
        assertThat(after.getFirst().task().metadata()).isEqualTo(Map.of("k", "v"));
        assertThat(reopened.heartbeat(List.of(second.lease()), LONG_LEASE)).as("the lease held before reopening")
                .containsExactly(second.lease().token());
        if (reopened.capabilities().contains(INSPECTION)) {
            assertThat(reopened.get(queue, done.id()).orElseThrow().state()).isEqualTo(TaskState.DONE);
            assertThat(reopened.get(queue, running.id()).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        }
    }
}
