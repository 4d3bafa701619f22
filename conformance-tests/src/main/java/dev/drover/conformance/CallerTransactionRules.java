package dev.drover.conformance;

import dev.drover.api.DroverException;
import dev.drover.api.QueueName;
import dev.drover.api.NewTask;
import dev.drover.api.WorkerId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static dev.drover.conformance.KitTasks.task;
import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.api.Capability.TRANSACTIONAL_PUSH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Storage rule S37: pushing in the caller's transaction ({@code SPEC.md}).
 * <p>
 * A backend runs it through {@link StorageContract}, whose nested class {@code CallerTransactions} binds it to the
 * storage of the running test; the caller's connections come from the kit class
 * ({@link StorageContract#callerConnection}, {@link StorageContract#otherDatabaseConnection}).
 */
abstract class CallerTransactionRules extends StorageRules {
    CallerTransactionRules(StorageContract kit) {
        super(kit);
    }

    @Test
    @DisplayName("S37 (optional: TRANSACTIONAL_PUSH) Tasks pushed in the caller's JDBC transaction exist if and only if it commits; a failed push leaves the transaction usable; a connection to another database is refused")
    void optional_S37_pushInTheCallersTransaction() throws Exception {
        requires(TRANSACTIONAL_PUSH, "S37");
        QueueName queue = Names.queue();
        WorkerId worker = Names.worker("s37");
        // the factory first: a backend that declares the capability and whose kit class gives no connection fails here
        Connection committing = callerConnection();
        assertThat(committing).as("callerConnection(tempDir) of the kit class").isNotNull();
        var tx = backend();

        // commit: the tasks exist, and are claimable, once the caller commits
        List<NewTask> committed = List.of(task(queue).payload("committed 1").build(), task(queue).payload("committed 2").build());
        try (committing) {
            committing.setAutoCommit(false);
            tx.push(committed, committing);
            if (has(INSPECTION)) {
                assertThat(backend().get(queue, committed.getFirst().id()))
                        .as("a task pushed in the caller's open transaction, asked through the backend").isEmpty();
            }
            committing.commit();
        }
        assertThat(ids(claimAll(open(), queue, worker))).as("claimable after the caller's commit")
                .containsExactlyInAnyOrderElementsOf(newIds(committed));

        // rollback: nothing is stored
        NewTask rolledBack = task(queue).payload("rolled back").build();
        try (Connection rollingBack = callerConnection()) {
            rollingBack.setAutoCommit(false);
            tx.push(List.of(rolledBack), rollingBack);
            rollingBack.rollback();
        }
        assertThat(claimAll(open(), queue, worker)).as("claimable after the caller's rollback").isEmpty();
        if (has(INSPECTION)) {
            assertThat(backend().get(queue, rolledBack.id())).as("the task pushed in a rolled-back transaction").isEmpty();
            assertThat(backend().counts(queue).values().stream().mapToLong(Long::longValue).sum())
                    .as("tasks stored on %s: the two committed ones", queue).isEqualTo(2);
        }

        // a failed push (an id already stored) adds nothing and leaves the caller's transaction usable
        NewTask stored = push(task(queue).payload("stored before").build());
        NewTask before = task(queue).payload("pushed before the failed push").build();
        NewTask lost = task(queue).payload("in the failed push").build();
        NewTask duplicate = task(queue).id(stored.id()).payload("duplicate id").build();
        NewTask after = task(queue).payload("pushed after the failed push").build();
        try (Connection failing = callerConnection()) {
            failing.setAutoCommit(false);
            tx.push(List.of(before), failing);
            assertThatThrownBy(() -> tx.push(List.of(lost, duplicate), failing)).as("a push holding an id already stored")
                    .isInstanceOf(DroverException.class);
            tx.push(List.of(after), failing);
            failing.commit();
        }
        assertThat(ids(claimAll(open(), queue, worker)))
                .as("after a failed push, the caller's transaction went on and committed its other pushes, and only those")
                .containsExactlyInAnyOrder(stored.id(), before.id(), after.id());

        // a connection to another database is refused, and nothing is stored in either
        NewTask misdirected = task(queue).payload("misdirected").build();
        try (Connection other = otherDatabaseConnection()) {
            assertThat(other).as("otherDatabaseConnection(tempDir) of the kit class").isNotNull();
            other.setAutoCommit(false);
            assertThatThrownBy(() -> tx.push(List.of(misdirected), other))
                    .as("a push in a transaction of another database").isInstanceOf(DroverException.class);
            other.rollback();
        }
        assertThat(claimAll(open(), queue, worker)).as("claimable after the push to another database was refused").isEmpty();
    }
}
