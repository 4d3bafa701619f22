package dev.drover.sqlite;

import dev.drover.sqlite.store.SqliteTaskSql;
import dev.drover.api.TaskState;
import dev.drover.sqlite.sql.SqlStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Claims, lease expiry and listings must find their rows through the indexes, never by reading the whole table. */
class SqliteQueryPlanTest {
    @TempDir
    Path dir;

    @Test
    void claimReadsPendingTasksThroughTheDueIndexAndExpiredLeasesThroughTheLeaseIndex() throws Exception {
        String plan = plan(SqliteTaskSql.claim("emails", "w", 10, 1_000, 2_000));

        assertThat(plan).contains("drover_tasks_due").contains("drover_tasks_leases");
        assertNoFullScan(plan);
    }

    @Test
    void expiringExhaustedLeasesUsesTheLeaseIndex() throws Exception {
        String plan = plan(SqliteTaskSql.expireExhaustedLeases("emails", 1_000));

        assertThat(plan).contains("drover_tasks_leases");
        assertNoFullScan(plan);
    }

    @Test
    void aListingPageWalksAnIndexByIdForFinishedStatesAndTheClaimIndexesForTheOthers() throws Exception {
        for (String state : new String[] {null, "DEAD"}) {
            String plan = plan(SqliteTaskSql.list("emails", state, null, 100));
            assertThat(plan).contains("drover_tasks_dead_or_cancelled (queue=? AND state=? AND id>?)")
                    .as("DONE walks the primary key from the cursor").contains("sqlite_autoindex_drover_tasks_1 (id>?)")
                    .contains("drover_tasks_due (queue=?)").contains("drover_tasks_leases (queue=?)");
            assertNoFullScan(plan);
        }
        assertThat(plan(SqliteTaskSql.listBefore("emails", "DONE", "x", 100))).contains("sqlite_autoindex_drover_tasks_1 (id<?)");
        for (TaskState state : TaskState.values()) {
            assertThat(SqliteTaskSql.LIST).as("LIST has a branch for %s", state).contains("state = '" + state.name() + "'");
        }
    }

    @Test
    void fencedTransitionsFindTheTaskByItsKey() throws Exception {
        for (SqlStatement statement : List.of(SqliteTaskSql.heartbeat("id", "t", 1), SqliteTaskSql.complete("id", "t", null, 1, "t/done"),
                SqliteTaskSql.release("id", "t"))) {
            assertNoFullScan(plan(statement));
        }
    }

    @Test
    void countsReadEachStateThroughItsPartialIndex() throws Exception {
        String plan = plan(SqliteTaskSql.counts("emails"));

        assertThat(plan).contains("drover_tasks_due (queue=?)").contains("drover_tasks_leases (queue=?)")
                .containsPattern("drover_tasks_(finished|retention) \\(queue=\\? AND state=\\?\\)"); // both are partial indexes of finished tasks led by (queue, state)
        assertNoFullScan(plan);
    }

    @Test
    void theOldestDueTaskIsFoundByProbingTheDueIndexPerPriorityNotByReadingThePendingTasks() throws Exception {
        String plan = plan(SqliteTaskSql.nextPriorityDue("emails", 2));

        assertThat(plan).contains("drover_tasks_due (queue=? AND priority<?)");
        assertThat(plan).as("no sort: the probe reads the index in its order").doesNotContain("USE TEMP B-TREE");
        assertNoFullScan(plan);
    }

    @Test
    void retentionFindsOldFinishedTasksByStateAndAgeThroughItsIndex() throws Exception {
        String plan = plan(SqliteTaskSql.deleteFinished("emails", 1L, 2L, 3L, 500));

        assertThat(plan).contains("drover_tasks_retention (queue=? AND state=? AND finished_at<?)");
        assertNoFullScan(plan);
    }

    @Test
    void inspectionOfOneTaskFindsItByItsPrimaryKeyThoughItAlsoNamesTheQueue() throws Exception {
        for (SqlStatement statement : List.of(SqliteTaskSql.get("emails", "id"), SqliteTaskSql.cancel("emails", "id", 1),
                SqliteTaskSql.requeue("emails", "id", 1))) {
            String plan = plan(statement);
            assertThat(plan).as("plan of%n%s", statement.sql()).contains("USING INDEX sqlite_autoindex_drover_tasks_1 (id=?)");
            assertNoFullScan(plan);
        }
    }

    private String plan(SqlStatement statement) throws Exception {
        Path file = dir.resolve("plan.db");
        try (SqliteBackend backend = SqliteBackend.open(file)) {
            List<dev.drover.api.NewTask> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) tasks.add(Tasks.task(i % 2 == 0 ? "emails" : "reports", "t" + i, i % 3, Instant.now(), 3));
            backend.push(tasks);
        }
        StringBuilder plan = new StringBuilder();
        try (Connection connection = Tasks.jdbc(file);
             PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + statement.sql())) {
            List<Object> args = statement.args();
            for (int i = 0; i < args.size(); i++) explain.setObject(i + 1, args.get(i));
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) plan.append(rs.getString("detail")).append('\n');
            }
        }
        return plan.toString();
    }

    private static void assertNoFullScan(String plan) {
        for (String line : plan.split("\n")) {
            if (line.startsWith("SCAN drover_tasks")) {
                assertThat(line).as("plan:%n%s", plan).contains("USING");
            }
        }
    }
}
