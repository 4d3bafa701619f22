package dev.drover.conformance;

import dev.drover.api.Capability;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage rules of {@code SPEC.md} (S1 to S53), checked through the SPI ({@link Backend}) alone.
 * <p>
 * A backend module extends this class and writes one method, {@link #storageUrl(Path)}:
 * <pre>{@code
 * class SqliteStorageConformanceTest extends StorageContract {
 *     @Override
 *     protected String storageUrl(Path tempDir) {
 *         return "sqlite:" + tempDir.resolve("kit.db");
 *     }
 * }
 * }</pre>
 * Backends are opened with {@link Backends#open(String)}, so the backend must be registered for
 * {@link java.util.ServiceLoader}. Every test uses queues of its own ({@link Names#queue()}), so a server backend
 * may hand every test the same database. A rule that needs a {@link Capability} the backend does not declare is
 * skipped with the reason. A backend that declares {@link Capability#TRANSACTIONAL_PUSH} also writes
 * {@link #callerConnection(Path)} and {@link #otherDatabaseConnection(Path)}, which give rule S37 JDBC connections.
 * <p>
 * The rules are grouped as in {@code SPEC.md}; each group is a {@code @Nested} class here (its tests report as
 * {@code StorageContract.Setup}, {@code StorageContract.Claiming}, …) whose rules are written in a file of their own
 * ({@code SetupRules}, {@code ClaimingRules}, …).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract non-sealed class StorageContract extends BackendContract {
    private Backend first;
    private final List<Backend> opened = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeBackends() {
        try {
            closeAll(opened, "backend");
        } finally {
            opened.clear();
        }
    }

    /** The backend this test works with, opened on first use. */
    protected final Backend backend() {
        if (first == null) first = open();
        return first;
    }

    /** Another backend instance on the same storage; closed after the test. */
    protected final Backend open() {
        Backend backend = Backends.open(url());
        assertThat(backend).as("Backends.open(%s)", url()).isNotNull();
        opened.add(backend);
        return backend;
    }

    @Override
    final Backend subject() {
        return backend();
    }

    /**
     * For rule S37, on a backend that declares {@link Capability#TRANSACTIONAL_PUSH}: a new JDBC connection, as an
     * application would open one, to the storage {@link #storageUrl(Path)} gave for the same {@code tempDir}. The kit
     * pushes tasks in its transactions, then commits or rolls back, and closes it. A backend that declares
     * {@code TRANSACTIONAL_PUSH} overrides this and {@link #otherDatabaseConnection(Path)}; if it does not, S37 fails
     * saying so (it is not skipped).
     */
    protected Connection callerConnection(Path tempDir) throws Exception {
        throw missingFactory("callerConnection(Path tempDir)", "to the storage storageUrl(tempDir) names");
    }

    /**
     * For rule S37, on a backend that declares {@link Capability#TRANSACTIONAL_PUSH}: a new JDBC connection of the
     * kind {@link #callerConnection(Path)} gives, but to another database than the storage's (another file, another
     * database on the same server), where the backend must refuse to push. The kit closes it.
     */
    protected Connection otherDatabaseConnection(Path tempDir) throws Exception {
        throw missingFactory("otherDatabaseConnection(Path tempDir)", "to another database than the storage's");
    }

    private AssertionError missingFactory(String method, String what) {
        return new AssertionError(subject().describe() + " declares TRANSACTIONAL_PUSH, but the kit class " + getClass().getName()
                + " does not override StorageContract." + method + ": override it to return a new JDBC connection " + what
                + ", so rule S37 can push in a caller's transaction");
    }

    /** Closes every instance opened so far (they stay in the list: closing again is a no-op). */
    final void closeEveryInstance() {
        for (Backend b : opened) b.close();
    }

    /** Closes {@code instances} now rather than after the test. */
    final void closeInstances(List<Backend> instances) {
        opened.removeAll(instances);
        closeAll(instances, "backend");
    }

    // ---- the rule groups, in the order of SPEC.md; each group's rules are in its own file (SetupRules, ...) ----

    @Nested
    @DisplayName("Storage rules S1-S3: opening and setup")
    class Setup extends SetupRules {
        Setup() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S4-S7: due time and order")
    class DueTimeAndOrder extends DueTimeAndOrderRules {
        DueTimeAndOrder() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S8-S13: claiming")
    class Claiming extends ClaimingRules {
        Claiming() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S14-S19: leases and fencing")
    class Leases extends LeaseRules {
        Leases() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S20-S23: outcomes")
    class Outcomes extends OutcomeRules {
        Outcomes() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S24-S26: pushing and payloads")
    class Pushing extends PushingRules {
        Pushing() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S27-S31: inspection")
    class Inspection extends InspectionRules {
        Inspection() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rule S32: wake-ups")
    class Wakeups extends WakeupRules {
        Wakeups() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S33-S34: follow-ups")
    class FollowUps extends FollowUpRules {
        FollowUps() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rule S35: settle then claim")
    class SettleThenClaim extends SettleThenClaimRules {
        SettleThenClaim() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rule S36: queue names")
    class QueueNames extends QueueNameRules {
        QueueNames() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rule S37: pushing in the caller's transaction")
    class CallerTransactions extends CallerTransactionRules {
        CallerTransactions() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rule S49: attempt history")
    class AttemptHistory extends AttemptHistoryRules {
        AttemptHistory() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S50-S52: cancelling a running task")
    class CancellingRunningTasks extends CancelRunningRules {
        CancellingRunningTasks() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S38-S41: pausing a queue and queue-wide limits")
    class QueueControl extends QueueControlRules {
        QueueControl() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S42-S43: unique tasks")
    class UniqueTasks extends UniqueTaskRules {
        UniqueTasks() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S44-S45: recurring-task schedules")
    class Schedules extends ScheduleRules {
        Schedules() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S46-S48: retention of finished tasks")
    class RetentionOfFinishedTasks extends RetentionRules {
        RetentionOfFinishedTasks() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rule S53: the oldest due task")
    class OldestDue extends OldestDueRules {
        OldestDue() {
            super(StorageContract.this);
        }
    }

    @Nested
    @DisplayName("Storage rules S54-S57: administration")
    class Administration extends AdminRules {
        Administration() {
            super(StorageContract.this);
        }
    }
}
