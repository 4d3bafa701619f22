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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage rules of {@code SPEC.md} (S1 to S37), checked through the SPI ({@link Backend}) alone.
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
 * {@link #callerConnection(String)} and {@link #otherDatabaseConnection(String, Path)}, the JDBC connections an
 * application would push in.
 * <p>
 * The rules are grouped as {@code SPEC.md} groups them. Each group is a {@code @Nested} class here (so JUnit runs it for
 * every backend's subclass) whose rules are written in a file of their own: {@code StorageContract.Setup} runs
 * {@link SetupRules}, {@code StorageContract.Leases} runs {@link LeaseRules}, and so on; {@link StorageRules} holds
 * what the groups share.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract non-sealed class StorageContract extends BackendContract {
    /**
     * For a backend that declares {@link Capability#TRANSACTIONAL_PUSH} (rule S37): a new JDBC connection, in auto-commit
     * mode, to the storage at {@code url} (what {@link #storageUrl(Path)} returned for this test), as the application
     * would open one to its own database. The kit closes it. Empty, the default, for a backend that takes no caller's
     * connection; a backend that declares the capability must override it, or S37 fails saying so.
     */
    protected Optional<Connection> callerConnection(String url) throws Exception {
        return Optional.empty();
    }

    /**
     * For rule S37: a new JDBC connection of the kind {@link #callerConnection(String)} gives, to a database that is not
     * the storage at {@code url} (another file in {@code tempDir}, another database on the server). A transactional push
     * on it must be refused. The kit closes it.
     */
    protected Optional<Connection> otherDatabaseConnection(String url, Path tempDir) throws Exception {
        return Optional.empty();
    }

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

    /** Closes every instance opened so far, {@link #backend()} included; they are closed again (idempotently) after the test. */
    final void closeEveryInstance() {
        for (Backend b : opened) b.close();
    }

    /** Closes {@code instances}, opened with {@link #open()}, now rather than after the test. */
    final void closeNow(List<Backend> instances) {
        opened.removeAll(instances);
        closeAll(instances, "backend");
    }

    @Override
    final Backend subject() {
        return backend();
    }

    // ---- the rule groups of SPEC.md, each in a file of its own: StorageContract.Setup's rules are in SetupRules ----

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
    @DisplayName("Storage rule S37: transactional push")
    class TransactionalPush extends TransactionalPushRules {
        TransactionalPush() {
            super(StorageContract.this);
        }
    }
}
