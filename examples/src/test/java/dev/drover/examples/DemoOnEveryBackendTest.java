package dev.drover.examples;

import dev.drover.api.Drover;
import dev.drover.libsql.TursoTestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's promise: the same demo, unchanged, on each backend — only the URL differs. SQLite on a file here; the
 * PGMQ backend on the test PostgreSQL ({@code DROVER_TEST_PG_URL}, default {@code pgmq://postgres@127.0.0.1:5432/test});
 * the libSQL backend on a real Turso server ({@code tursodb}) on a loopback port. A missing server skips its case,
 * saying why, or fails it when {@code DROVER_TEST_REQUIRE_SERVERS=true} (as in {@code .ci/run}).
 */
class DemoOnEveryBackendTest {
    private static final boolean REQUIRED = "true".equalsIgnoreCase(System.getenv("DROVER_TEST_REQUIRE_SERVERS"));
    private static final String PG_URL = Optional.ofNullable(System.getenv("DROVER_TEST_PG_URL")).filter(s -> !s.isBlank())
            .orElse("pgmq://postgres@127.0.0.1:5432/test");

    @Test
    void onSqlite(@TempDir Path dir) throws Exception {
        assertDemoRuns("sqlite:" + dir.resolve("demo.db"), "");
    }

    @Test
    void onPostgresqlWithPgmq() throws Exception {
        try (Drover probe = Drover.open(PG_URL)) {
            probe.queue("demo_probe", String.class).counts();
        } catch (RuntimeException e) {
            if (REQUIRED) throw new AssertionError("no PostgreSQL for the demo at " + PG_URL + " (DROVER_TEST_REQUIRE_SERVERS=true): " + e.getMessage(), e);
            System.out.println("[drover] demo on PostgreSQL not run: " + e.getMessage());
            Assumptions.abort("no PostgreSQL at " + PG_URL + ": " + e.getMessage());
        }
        assertDemoRuns(PG_URL, "_t" + Long.toString(System.nanoTime(), 36));
    }

    @Test
    void onATursoServer(@TempDir Path dir) throws Exception {
        try (TursoTestServer server = TursoTestServer.start(dir.resolve("primary.db"))) {
            assertDemoRuns(server.remoteUrl(), "_t" + Long.toString(System.nanoTime(), 36));
        }
    }

    private static void assertDemoRuns(String url, String queueSuffix) throws Exception {
        String out = DemoOutput.of(() -> Demo.run(url, queueSuffix));
        assertThat(out).contains("pushed 303 tasks")
                .contains("done:    300")
                .contains("dead:    3")
                .contains("undecodable payload");
    }
}
