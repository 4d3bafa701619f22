package dev.drover.libsql;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.conformance.Names;
import dev.drover.libsql.replica.ReplicaReader;
import dev.drover.libsql.replica.ReplicaSync;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import dev.drover.sqlite.sql.SqlRow;
import dev.drover.sqlite.sql.SqlStatement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** What remote mode costs on the wire, and that a replica reads back exactly what remote mode wrote. */
class RemoteRoundTripTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("A claim of 50 tasks, a settle of 50 outcomes and a push of 50 tasks are each ONE HTTP request")
    void everyJobOperationIsOneRequest() throws Exception {
        TursoTestServer server = TursoTestServer.shared();
        try (HranaProxy proxy = new HranaProxy(server.httpUrl(), null); Backend backend = Backends.open(proxy.url())) {
            QueueName queue = Names.queue();
            List<NewTask> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) tasks.add(task(queue, ("task " + i).getBytes(StandardCharsets.UTF_8)));

            int before = proxy.requests();
            backend.push(tasks);
            assertThat(proxy.requests() - before).as("HTTP requests for a push of 50").isEqualTo(1);

            before = proxy.requests();
            List<ClaimedTask> claimed = backend.claim(queue, new WorkerId("round-trips"), 50, Duration.ofMinutes(1));
            assertThat(proxy.requests() - before).as("HTTP requests for a claim of 50").isEqualTo(1);
            assertThat(claimed).hasSize(50);

            before = proxy.requests();
            List<Settlement> done = claimed.stream().<Settlement>map(c -> new Settlement.Complete(c.lease(), null)).toList();
            assertThat(backend.settle(done)).hasSize(50);
            assertThat(proxy.requests() - before).as("HTTP requests for a settle of 50").isEqualTo(1);
            assertThat(backend.counts(queue)).containsEntry(TaskState.DONE, 50L);
        }
    }

    @Test
    @DisplayName("Rows written through remote mode are read by a replica after one sync, with the same bytes")
    void replicaReadsWhatRemoteModeWrote() {
        TursoTestServer server = TursoTestServer.shared();
        QueueName queue = Names.queue();
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) everyByte[i] = (byte) i;
        byte[] random = new byte[64 * 1024];
        new Random(7).nextBytes(random);
        byte[] unicode = "{\"text\":\"héllo — 日本語 עברית 🚀👩‍👩‍👧\",\"nul\":\"\\u0000\"}".getBytes(StandardCharsets.UTF_8);
        Map<TaskId, byte[]> written = new HashMap<>();
        try (Backend remote = Backends.open(server.remoteUrl())) {
            List<NewTask> tasks = new ArrayList<>();
            for (byte[] payload : List.of(everyByte, random, unicode, new byte[0])) {
                NewTask t = task(queue, payload);
                tasks.add(t);
                written.put(t.id(), payload);
            }
            remote.push(tasks);
        }
        Path live = dir.resolve("cross-check.db");
        try (ReplicaSync sync = new ReplicaSync(live, server.httpUrl())) {
            sync.sync();
            try (ReplicaReader reader = ReplicaReader.open(live)) {
                List<SqlRow> rows = reader.read(SqlStatement.of("SELECT id, payload, state FROM drover_tasks WHERE queue = ?", queue.value())).rows();
                assertThat(rows).hasSize(written.size());
                for (SqlRow row : rows) {
                    byte[] expected = written.get(TaskId.of(row.getString("id")));
                    assertThat(expected).as("a task the replica has that remote mode wrote").isNotNull();
                    assertThat((byte[]) row.get("payload")).as("payload of %d bytes, read from the replica", expected.length).isEqualTo(expected);
                    assertThat(row.getString("state")).isEqualTo("PENDING");
                }
                assertThat(reader.read(SqlStatement.of("PRAGMA integrity_check")).rows().getFirst().values().values()).containsExactly("ok");
            }
        }
    }

    private static NewTask task(QueueName queue, byte[] payload) {
        return NewTask.builder(queue, payload, "bytes").runAt(Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS)).maxAttempts(3).build();
    }
}
