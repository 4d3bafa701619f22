package dev.drover.libsql.replica;

import dev.drover.conformance.ChildJvm;
import dev.drover.sqlite.sql.SqlStatement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.drover.libsql.replica.ReplicaSyncTest.assertIntegrityOk;
import static dev.drover.libsql.replica.ReplicaSyncTest.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sync killed at any stage, or a damaged shadow image, is repaired by the next sync: the replica then has exactly
 * the primary's rows and passes {@code integrity_check}. The crashing sync runs in a child JVM that halts itself
 * right after the chosen stage.
 */
class ReplicaCrashTest {
    private static final String ROWS = "SELECT * FROM jobs ORDER BY id";

    @TempDir
    Path dir;

    enum Kind { BOOTSTRAP, INCREMENTAL }

    static Stream<Arguments> crashPoints() {
        List<Arguments> points = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (ReplicaSync.Stage stage : List.of(ReplicaSync.Stage.PULLED, ReplicaSync.Stage.PATCHED, ReplicaSync.Stage.PUBLISHED)) {
                points.add(Arguments.of(kind, stage));
            }
        }
        return points.stream();
    }

    @ParameterizedTest(name = "a {0} sync killed right after {1}")
    @MethodSource("crashPoints")
    @DisplayName("a sync killed at any stage is repaired by the next sync")
    void killedSyncIsRepaired(Kind kind, ReplicaSync.Stage stage) throws Exception {
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, queue TEXT, payload BLOB)");
            insertJobs(primary, 0, 200);
            Path live = dir.resolve("replica.db");
            Optional<String> metaRevisionBefore = Optional.empty();
            if (kind == Kind.INCREMENTAL) {
                try (ReplicaSync sync = new ReplicaSync(live, primary.url())) {
                    metaRevisionBefore = Optional.of(sync.sync().revisionAfter());
                }
                insertJobs(primary, 200, 300);
                primary.execute("CREATE INDEX jobs_queue ON jobs (queue)");
            }

            try (ChildJvm child = ChildJvm.start(CrashingSync.class, dir.resolve("child-logs"), live.toString(), primary.url(), stage.name())) {
                int exit = child.awaitExit(Duration.ofSeconds(120));
                assertThat(exit).as("exit code of the child that halted after %s%s", stage, child.stderrTail()).isEqualTo(137);
                assertThat(child.lines()).contains("STAGE " + stage).noneMatch(l -> l.startsWith("DONE"));
            }
            // the meta still names the revision from before the killed sync: it is written last
            Optional<ReplicaMeta> meta = ReplicaMeta.read(ReplicaMeta.pathFor(live));
            assertThat(meta.map(ReplicaMeta::revision)).isEqualTo(metaRevisionBefore);
            if (stage == ReplicaSync.Stage.PUBLISHED) {
                try (ReplicaReader reader = ReplicaReader.open(live)) {
                    assertSameRows(primary, reader, ROWS); // published, only the meta is missing
                }
            }

            try (ReplicaSync sync = new ReplicaSync(live, primary.url())) {
                ReplicaSync.Result repaired = sync.sync();
                // an untouched shadow resumes from the meta's revision; a changed one is rebuilt
                ReplicaSync.Mode expected = kind == Kind.INCREMENTAL && stage == ReplicaSync.Stage.PULLED
                        ? ReplicaSync.Mode.INCREMENTAL : ReplicaSync.Mode.BOOTSTRAP;
                assertThat(repaired.mode()).isEqualTo(expected);
                try (ReplicaReader reader = ReplicaReader.open(live)) {
                    assertSameRows(primary, reader, ROWS);
                    assertIntegrityOk(reader);

                    insertJobs(primary, 1000, 50);
                    assertThat(sync.sync().mode()).as("the repaired replica syncs on incrementally").isEqualTo(ReplicaSync.Mode.INCREMENTAL);
                    assertSameRows(primary, reader, ROWS);
                    assertIntegrityOk(reader);
                }
            }
        }
    }

    @Test
    @DisplayName("a shadow image cut in the middle of a page is rebuilt, not published")
    void truncatedShadowIsRebuilt() throws Exception {
        damagedShadowIsRebuilt(shadow -> {
            try (FileChannel channel = FileChannel.open(shadow, StandardOpenOption.WRITE)) {
                channel.truncate(channel.size() - ShadowStore.PAGE_SIZE - 1000);
            }
        }, true);
    }

    @Test
    @DisplayName("a shadow image with flipped bytes in a page no pull rewrites is rebuilt, not published")
    void flippedBytesAreRebuilt() throws Exception {
        damagedShadowIsRebuilt(shadow -> flip(shadow, 2L * ShadowStore.PAGE_SIZE + 1234), true);
    }

    @Test
    @DisplayName("a damaged shadow image is rebuilt even when nothing changed on the primary")
    void damageIsFoundWithoutChanges() throws Exception {
        damagedShadowIsRebuilt(shadow -> flip(shadow, 3L * ShadowStore.PAGE_SIZE + 17), false);
    }

    @Test
    @DisplayName("a missing shadow image is rebuilt")
    void missingShadowIsRebuilt() throws Exception {
        damagedShadowIsRebuilt(Files::delete, true);
    }

    private interface Damage {
        void apply(Path shadow) throws IOException;
    }

    private void damagedShadowIsRebuilt(Damage damage, boolean primaryChanges) throws Exception {
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"))) {
            primary.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, queue TEXT, payload BLOB)");
            insertJobs(primary, 0, 200);
            Path live = dir.resolve("replica.db");
            try (ReplicaSync sync = new ReplicaSync(live, primary.url())) {
                sync.sync();
            }
            damage.apply(dir.resolve("replica.db.shadow"));
            if (primaryChanges) insertJobs(primary, 200, 20);

            try (ReplicaSync sync = new ReplicaSync(live, primary.url());
                 ReplicaReader reader = ReplicaReader.open(live)) {
                assertThat(sync.sync().mode()).isEqualTo(ReplicaSync.Mode.BOOTSTRAP);
                assertSameRows(primary, reader, ROWS);
                assertIntegrityOk(reader);
                insertJobs(primary, 1000, 5);
                assertThat(sync.sync().mode()).isEqualTo(ReplicaSync.Mode.INCREMENTAL);
                assertSameRows(primary, reader, ROWS);
                assertThat(reader.read(SqlStatement.of("PRAGMA quick_check")).rows().getFirst().getString("quick_check")).isEqualTo("ok");
            }
        }
    }

    private static void flip(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            channel.read(b, position);
            for (int i = 0; i < 8; i++) b.put(i, (byte) ~b.get(i));
            b.rewind();
            channel.write(b, position);
        }
    }

    private static void insertJobs(TursoPrimary primary, int from, int count) {
        List<Object[]> statements = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            byte[] payload = new byte[200 + i % 300];
            for (int k = 0; k < payload.length; k++) payload[k] = (byte) (i + k);
            statements.add(new Object[]{"INSERT INTO jobs (id, queue, payload) VALUES (?, ?, ?)", (long) i, "queue-" + (i % 4), payload});
        }
        primary.transaction(statements);
    }
}
