package dev.drover.libsql.replica;

import dev.drover.sqlite.sql.SqlStatement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Not a test: a measurement. Builds a ~10 MB primary on a real tursodb (10,000 rows of ~1 KB), then times the
 * replica's bootstrap, incremental syncs after 100 more rows each, and a sync with nothing to do. Prints the figures.
 * <p>
 * Run from the repository root, after {@code ./mvnw -o -q -f backend-libsql/pom.xml test-compile}:
 * <pre>
 * ./mvnw -o -q -f backend-libsql/pom.xml dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * cd backend-libsql &amp;&amp; java --enable-native-access=ALL-UNNAMED -cp "target/classes:target/test-classes:$(cat /tmp/cp.txt)" \
 *     dev.drover.libsql.replica.ReplicaSyncTiming [rows]
 * </pre>
 * The optional argument changes the row count (default 10,000).
 */
public final class ReplicaSyncTiming {
    private ReplicaSyncTiming() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path dir = Files.createTempDirectory("drover-replica-timing-");
        Random random = new Random(42);
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, queue TEXT NOT NULL, state TEXT NOT NULL, payload BLOB NOT NULL)");
            primary.execute("CREATE INDEX jobs_queue_state ON jobs (queue, state)");
            long start = System.nanoTime();
            insert(primary, random, 0, rows);
            System.out.printf("primary: %,d rows of ~1 KB inserted in %,d ms%n", rows, (System.nanoTime() - start) / 1_000_000);

            Path live = dir.resolve("replica.db");
            Map<ReplicaSync.Stage, Long> stageAt = new EnumMap<>(ReplicaSync.Stage.class);
            try (ReplicaSync sync = new ReplicaSync(live, primary.url(), null, stage -> stageAt.put(stage, System.nanoTime()))) {
                timed(sync, stageAt, "bootstrap");
                System.out.printf("  live file %,d bytes, shadow %,d bytes%n", Files.size(live), Files.size(dir.resolve("replica.db.shadow")));
                for (int round = 1; round <= 5; round++) {
                    insert(primary, random, rows + (round - 1) * 100, 100);
                    timed(sync, stageAt, "incremental #" + round + " (+100 rows)");
                }
                print("nothing changed", sync.sync());
                try (PullUpdatesClient client = new PullUpdatesClient(primary.url(), null, Duration.ofSeconds(10), Duration.ofSeconds(60))) {
                    long pull = System.nanoTime();
                    long[] bytes = new long[1];
                    PullUpdatesClient.Header header = client.pull("", (id, page) -> bytes[0] += page.length);
                    System.out.printf("for comparison, a bare bootstrap pull (pages discarded): %,d ms for %,d pages (%.1f MB)%n",
                            (System.nanoTime() - pull) / 1_000_000, header.dbSizePages(), bytes[0] / 1e6);
                }
                try (ReplicaReader reader = ReplicaReader.open(live)) {
                    long count = reader.read(SqlStatement.of("SELECT count(*) AS n FROM jobs")).rows().getFirst().getLong("n");
                    long check = System.nanoTime();
                    String ok = reader.read(SqlStatement.of("PRAGMA integrity_check")).rows().getFirst().getString("integrity_check");
                    System.out.printf("replica: %,d rows, integrity_check %s (%,d ms)%n", count, ok, (System.nanoTime() - check) / 1_000_000);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            } catch (IOException e) {
                System.err.println("could not remove " + dir + ": " + e);
            }
        }
    }

    private static void insert(TursoPrimary primary, Random random, int from, int count) {
        for (int batch = from; batch < from + count; batch += 500) {
            List<Object[]> statements = new ArrayList<>();
            for (int i = batch; i < Math.min(batch + 500, from + count); i++) {
                byte[] payload = new byte[900 + random.nextInt(200)];
                random.nextBytes(payload);
                statements.add(new Object[]{"INSERT INTO jobs VALUES (?, ?, ?, ?)", (long) i, "queue-" + (i % 8), "PENDING", payload});
            }
            primary.transaction(statements);
        }
    }

    /** Runs one sync and prints its figures, with the time between its stages. */
    private static void timed(ReplicaSync sync, Map<ReplicaSync.Stage, Long> stageAt, String what) {
        stageAt.clear();
        long start = System.nanoTime();
        ReplicaSync.Result result = sync.sync();
        print(what, result);
        long previous = start;
        StringBuilder phases = new StringBuilder("  ");
        String[] names = {"pull", "patch shadow", "publish (backup + checkpoint)", "write meta"};
        for (ReplicaSync.Stage stage : ReplicaSync.Stage.values()) {
            Long at = stageAt.get(stage);
            if (at == null) continue;
            phases.append(String.format("%s %,d ms; ", names[stage.ordinal()], (at - previous) / 1_000_000));
            previous = at;
        }
        System.out.println(phases.toString().strip());
    }

    private static void print(String what, ReplicaSync.Result result) {
        System.out.printf("%-28s %,6d ms  %-11s %,6d pages applied, db %,6d pages (%.1f MB), revision %s -> %s%n", what, result.millis(),
                result.mode(), result.pagesApplied(), result.dbSizePages(), result.dbSizePages() * 4096 / 1e6,
                result.revisionBefore(), result.revisionAfter());
    }
}
