package dev.drover.sqlite.mutants;

import dev.drover.api.Capability;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.UnsupportedCapabilityException;
import dev.drover.api.WorkerId;
import dev.drover.conformance.ForwardingBackend;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Lease;
import dev.drover.spi.LeaseToken;
import dev.drover.spi.WakeupSource;
import dev.drover.sqlite.SqliteBackend;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The real SQLite backend behind one {@link Mutation}; without one, it does what the real backend does. */
final class MutantBackend extends ForwardingBackend {
    private final Mutation mutation;
    private final SqliteBackend real;
    /** For {@link Mutation#CLAIMS_EARLY}: the same file, opened with a clock that runs ahead; else null. */
    private final SqliteBackend claimer;

    MutantBackend(Mutation mutation, SqliteBackend real, SqliteBackend claimer) {
        super(real);
        this.mutation = mutation;
        this.real = real;
        this.claimer = claimer;
    }

    @Override
    public String describe() {
        return real.describe() + " (mutant: " + mutation.urlName() + ")";
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> declared = EnumSet.copyOf(real.capabilities());
        if (mutation == Mutation.DECLARES_NO_PUSH_BUT_PUSHES) declared.remove(Capability.TRANSACTIONAL_PUSH);
        return Set.copyOf(declared);
    }

    @Override
    public void push(List<NewTask> tasks, Connection transaction) {
        switch (mutation) {
            case DECLARES_PUSH_IT_LACKS -> throw new UnsupportedCapabilityException(Capability.TRANSACTIONAL_PUSH, describe(),
                    "push without a Connection, or use a backend that shares the application's JDBC database"); // the SPI's default
            case COMMITS_THE_CALLERS_TRANSACTION -> {
                real.push(tasks, transaction);
                try {
                    if (!transaction.getAutoCommit()) transaction.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            default -> real.push(tasks, transaction);
        }
    }

    @Override
    public List<ClaimedTask> claim(QueueName queue, WorkerId worker, int max, Duration leaseDuration) {
        return switch (mutation) {
            case THIRD_OF_THE_LEASE -> real.claim(queue, worker, max, leaseDuration.dividedBy(3));
            // the claimer's now is CLAIM_EARLY_BY ahead: shorten the lease by as much, so it still ends lease-duration from now
            case CLAIMS_EARLY -> claimer.claim(queue, worker, max, atLeastOneMilli(leaseDuration.minus(Mutation.CLAIM_EARLY_BY)));
            default -> real.claim(queue, worker, max, leaseDuration);
        };
    }

    @Override
    public Set<LeaseToken> heartbeat(Collection<Lease> leases, Duration extension) {
        return real.heartbeat(leases, mutation == Mutation.THIRD_OF_THE_LEASE ? extension.dividedBy(3) : extension);
    }

    @Override
    public WakeupSource wakeups() {
        return mutation == Mutation.DECLARES_WAKEUPS_IT_LACKS ? WakeupSource.NONE : real.wakeups();
    }

    @Override
    public void close() {
        try {
            if (claimer != null) claimer.close();
        } finally {
            real.close();
        }
    }

    private static Duration atLeastOneMilli(Duration d) {
        return d.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : d;
    }
}
