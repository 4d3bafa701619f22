package dev.drover.conformance;

import dev.drover.api.DroverException;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.WorkerId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.drover.api.Capability.INSPECTION;
import static dev.drover.api.Capability.TRANSACTIONAL_PUSH;
import static dev.drover.conformance.KitTasks.task;
import static dev.drover.conformance.KitTasks.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Storage rule S37: transactional push ({@code SPEC.md}), on the connections the backend module's kit class gives
 * ({@link StorageContract#callerConnection(String)}, {@link StorageContract#otherDatabaseConnection(String, Path)}).
 * Run as {@code StorageContract.TransactionalPush}, which extends this class; a backend module extends {@link StorageContract} only.
 */
abstract class TransactionalPushRules extends StorageRules {
    TransactionalPushRules(StorageContract kit) {
        super(kit);
    }

    /** The push under test: on the caller's connection, inside whatever transaction it has open. */
    private void pushIn(Connection transaction, List<NewTask> tasks) {
        backend().push(tasks, transaction);
    }

    /** A new connection to this test's storage, as the application would open one. */
    private Connection caller() throws Exception {
        return kit().callerConnection(url()).orElseThrow(() -> new AssertionError(backend().describe()
                + " declares TRANSACTIONAL_PUSH, but the kit class " + kit().getClass().getName() + " gives no connection to push in: "
                + "override callerConnection(url) to return a JDBC connection to the storage at the URL"));
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    @DisplayName("S37 (optional: TRANSACTIONAL_PUSH) Tasks pushed on the caller's JDBC connection exist if and only if the caller's transaction commits; a failed push leaves that transaction usable; a connection to another database is refused")
    void optional_S37_pushJoinsTheCallersTransaction() throws Exception {
        requires(TRANSACTIONAL_PUSH, "S37");
        QueueName queue = Names.queue();
        WorkerId worker = Names.worker("s37");
        String table = "kit_orders_" + Names.letters(10); // the application's own table, beside the tasks
        try (Connection setup = caller()) {
            setup.setAutoCommit(true);
            execute(setup, "CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, item VARCHAR(40) NOT NULL)");
        }
        try {
            // commit: the tasks exist, and are claimable, once the caller commits, not before
            List<NewTask> committed = List.of(task(queue).build(), task(queue).build());
            try (Connection app = caller()) {
                app.setAutoCommit(false);
                execute(app, "INSERT INTO " + table + " (id, item) VALUES (1, 'book')");
                pushIn(app, committed);
                if (has(INSPECTION)) {
                    for (NewTask t : committed) {
                        assertThat(backend().get(queue, t.id())).as("task %s, pushed in a transaction not yet committed", t.id()).isEmpty();
                    }
                }
                app.commit();
            }
            assertThat(ids(claimAll(open(), queue, worker))).as("tasks claimable once the caller committed")
                    .containsExactlyInAnyOrderElementsOf(newIds(committed));

            // rollback: the tasks never exist
            NewTask rolledBack = task(queue).build();
            try (Connection app = caller()) {
                app.setAutoCommit(false);
                execute(app, "INSERT INTO " + table + " (id, item) VALUES (2, 'pen')");
                pushIn(app, List.of(rolledBack));
                app.rollback();
            }
            assertThat(claimAll(backend(), queue, worker)).as("tasks claimable after the caller rolled back").isEmpty();
            if (has(INSPECTION)) assertThat(backend().get(queue, rolledBack.id())).as("a task pushed in a rolled-back transaction").isEmpty();

            // a failed push (an id already stored) stores nothing, and the caller's transaction goes on
            NewTask fresh = task(queue).build();
            NewTask clash = task(queue).id(committed.getFirst().id()).payload("impostor").build();
            NewTask later = task(queue).build();
            try (Connection app = caller()) {
                app.setAutoCommit(false);
                execute(app, "INSERT INTO " + table + " (id, item) VALUES (3, 'lamp')");
                assertThatThrownBy(() -> pushIn(app, List.of(fresh, clash))).as("a push holding an id already stored, in the caller's transaction")
                        .isInstanceOf(DroverException.class);
                execute(app, "INSERT INTO " + table + " (id, item) VALUES (4, 'desk')");
                pushIn(app, List.of(later));
                app.commit();
            }
            assertThat(ids(claimAll(backend(), queue, worker))).as("tasks claimable after a failed and a good push in one committed transaction")
                    .containsExactly(later.id());
            if (has(INSPECTION)) {
                assertThat(backend().get(queue, fresh.id())).as("a task of the failed push").isEmpty();
                assertThat(text(stored(queue, clash.id()).payload())).as("the stored task the failed push clashed with")
                        .isNotEqualTo("impostor");
            }
            List<Integer> rows = new ArrayList<>();
            try (Connection check = caller(); Statement s = check.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
                while (rs.next()) rows.add(rs.getInt(1));
            }
            assertThat(rows).as("the caller's own rows: committed ones kept (also those written around the failed push), the rolled-back one not")
                    .containsExactly(1, 3, 4);

            // a connection to another database: refused, nothing stored anywhere
            Path elsewhere = Files.createDirectories(kitDir().resolve("other-database"));
            Optional<Connection> other = kit().otherDatabaseConnection(url(), elsewhere);
            assertThat(other).as("%s declares TRANSACTIONAL_PUSH, so its kit class %s gives otherDatabaseConnection(url, dir), "
                    + "a connection to another database, on which a push must be refused", backend().describe(), kit().getClass().getName()).isPresent();
            NewTask misdirected = task(queue).build();
            try (Connection app = other.get()) {
                app.setAutoCommit(false);
                assertThatThrownBy(() -> pushIn(app, List.of(misdirected))).as("a push on a connection to another database")
                        .isInstanceOf(DroverException.class)
                        .satisfies(e -> assertThat(e.getMessage()).as("its message").isNotBlank());
                app.rollback();
            }
            assertThat(claimAll(backend(), queue, worker)).as("tasks claimable after the push on another database").isEmpty();
            if (has(INSPECTION)) assertThat(backend().get(queue, misdirected.id())).as("the task pushed on another database").isEmpty();
        } finally {
            try (Connection cleanup = caller()) {
                cleanup.setAutoCommit(true);
                execute(cleanup, "DROP TABLE " + table);
            }
        }
    }
}
