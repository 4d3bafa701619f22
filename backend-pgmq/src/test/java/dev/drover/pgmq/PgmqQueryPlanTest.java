package dev.drover.pgmq;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.conformance.Names;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Statements a monitor runs every few seconds must find their rows through an index, on a queue of any size. */
class PgmqQueryPlanTest {
    @Test
    void theOldestDueTaskIsReadOffTheClaimIndexBoundedByNow() throws Exception {
        QueueName queue = Names.queue();
        String url = PgTestDatabase.plainUrl();
        try (Backend backend = Backends.open(url)) {
            List<NewTask> tasks = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = 0; i < 5_000; i++) {
                // most due over the last day, every tenth scheduled for tomorrow
                Instant runAt = now.minusSeconds(86_400).plusSeconds((i * 17L) % 86_400).plusSeconds(i % 10 == 0 ? 172_800 : 0);
                tasks.add(NewTask.builder(queue, ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8), "json")
                        .id(TaskId.generate()).runAt(runAt).build());
            }
            backend.push(tasks);
            assertThat(backend.oldestDue(queue)).isPresent();
        }
        QueueSql sql = new QueueSql(QueueTables.of(queue), true, true, 5);
        StringBuilder plan = new StringBuilder();
        try (Connection c = PgTestDatabase.connect(url); Statement s = c.createStatement()) {
            s.execute("ANALYZE " + QueueTables.of(queue).q());
            try (ResultSet rs = s.executeQuery("EXPLAIN " + sql.oldestDue)) {
                while (rs.next()) plan.append(rs.getString(1)).append('\n');
            }
        }
        assertThat(plan.toString()).as("plan of%n%s", sql.oldestDue)
                .contains("Index Scan using q_" + queue.value() + "_vt_idx ")
                .contains("Index Cond: (vt <= now())")
                .doesNotContain("Seq Scan").doesNotContain("Sort");
    }
}
