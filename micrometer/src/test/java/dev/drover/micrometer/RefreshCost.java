package dev.drover.micrometer;

import dev.drover.api.QueueName;
import dev.drover.api.TaskState;
import dev.drover.sqlite.SqliteBackend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Not a test: measures what one refresh of a queue's gauges costs on a SQLite file holding {@code rows} tasks in one
 * queue (90% PENDING over 3 priorities, most due, 1% RUNNING, 8% DONE, 1% DEAD), the two storage reads apart.
 * <pre>
 * java -cp micrometer/target/test-classes:$(cat cp.txt) dev.drover.micrometer.RefreshCost 1000000 /tmp/cost.db
 * </pre>
 * The file is kept and reused when it exists with the same number of rows.
 */
public final class RefreshCost {
    private RefreshCost() {
    }

    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(args[0]);
        Path file = Path.of(args.length > 1 ? args[1] : "refresh-cost-" + rows + ".db");
        QueueName queue = QueueName.of("big");
        if (!Files.exists(file)) {
            SqliteBackend.open(file).close(); // makes the schema
            long start = System.nanoTime();
            long now = Instant.now().toEpochMilli();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=OFF");
                s.execute("BEGIN");
                // ids sortable like Drover's; one queue; states by i % 100; run_at spread over the last day (and 5% in the future)
                s.execute("""
                        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < %d)
                        INSERT INTO drover_tasks (id, queue, state, priority, run_at, attempt, max_attempts, payload, codec,
                                                  lease_owner, lease_token, lease_expires_at, enqueued_at, started_at, finished_at)
                        SELECT printf('%%016d', i), 'big',
                               CASE WHEN i %% 100 < 90 THEN 'PENDING' WHEN i %% 100 = 90 THEN 'RUNNING'
                                    WHEN i %% 100 = 91 THEN 'DEAD' ELSE 'DONE' END,
                               i %% 3,
                               %d - 86400000 + (i * 7919) %% 86400000 + CASE WHEN i %% 20 = 0 THEN 90000000 ELSE 0 END,
                               1, 5, x'7b7d', 'json',
                               CASE WHEN i %% 100 = 90 THEN 'w' END, CASE WHEN i %% 100 = 90 THEN 't' || i END,
                               CASE WHEN i %% 100 = 90 THEN %d + 60000 END,
                               %d - 86400000, NULL, CASE WHEN i %% 100 > 90 THEN %d END
                          FROM n""".formatted(rows, now, now, now, now));
                s.execute("COMMIT");
                s.execute("ANALYZE");
            }
            System.out.printf("filled %s with %,d tasks in %.1f s%n", file, rows, (System.nanoTime() - start) / 1e9);
        }
        try (SqliteBackend backend = SqliteBackend.open(file)) {
            Map<TaskState, Long> counts = backend.counts(queue);
            Optional<Instant> oldest = backend.oldestDue(queue);
            System.out.println("counts " + counts + ", oldest due " + oldest);
            for (int round = 0; round < 2; round++) { // the first round reads the file into the page cache
                double[] countMs = new double[7];
                double[] oldestMs = new double[7];
                for (int i = 0; i < countMs.length; i++) {
                    long t0 = System.nanoTime();
                    backend.counts(queue);
                    long t1 = System.nanoTime();
                    backend.oldestDue(queue);
                    long t2 = System.nanoTime();
                    countMs[i] = (t1 - t0) / 1e6;
                    oldestMs[i] = (t2 - t1) / 1e6;
                }
                System.out.printf("%s: counts median %.1f ms (min %.1f, max %.1f); oldestDue median %.3f ms (min %.3f, max %.3f)%n",
                        round == 0 ? "cold" : "warm", median(countMs), min(countMs), max(countMs), median(oldestMs), min(oldestMs), max(oldestMs));
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }
}
