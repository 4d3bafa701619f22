package dev.drover.micrometer;

import org.junit.jupiter.api.Assumptions;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;

/**
 * {@link DroverMetrics} on PGMQ in plain-SQL mode, on the real PostgreSQL the backend's tests use:
 * {@code DROVER_TEST_PG_URL}, by default the local server's database {@code test} (127.0.0.1:5432, trust auth). Every
 * test works on queues of its own. Without a server the tests are skipped, saying why, unless
 * {@code DROVER_TEST_REQUIRE_SERVERS=true} (as {@code .ci/run} sets), when they fail.
 */
class PgmqDroverMetricsTest extends DroverMetricsContract {
    private static final String URL = env("DROVER_TEST_PG_URL").orElse("pgmq://postgres@127.0.0.1:5432/test");

    @Override
    String url(Path dir) {
        requireServer();
        return URL + (URL.contains("?") ? "&" : "?") + "mode=plain";
    }

    private static void requireServer() {
        if (env("DROVER_TEST_PG_URL").isPresent()) return; // a URL given explicitly: let the open say what is wrong with it
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5432), 2_000);
        } catch (java.io.IOException e) {
            String why = "PostgreSQL tests not run: no server at 127.0.0.1:5432 (" + e.getMessage() + "); start one with trust auth "
                    + "and a database named test, or set DROVER_TEST_PG_URL";
            if ("true".equalsIgnoreCase(System.getenv("DROVER_TEST_REQUIRE_SERVERS"))) throw new IllegalStateException(why);
            Assumptions.abort(why);
        }
    }
}
