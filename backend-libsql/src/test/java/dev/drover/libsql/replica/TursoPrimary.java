package dev.drover.libsql.replica;


import dev.drover.libsql.TursoTestServer;
import dev.drover.libsql.hrana.Batch;
import dev.drover.libsql.hrana.BatchResult;
import dev.drover.libsql.hrana.HranaClient;
import dev.drover.libsql.hrana.HranaStatement;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A real Turso primary for the replica tests: {@code tursodb --sync-server} on a fresh file, started by the module's
 * {@link TursoTestServer}, written and read with the backend's own {@link HranaClient}.
 */
final class TursoPrimary implements AutoCloseable {
    private final TursoTestServer server;

    private TursoPrimary(TursoTestServer server) {
        this.server = server;
    }

    /** A new server on {@code database} (a file that must not exist yet), on a free loopback port. */
    static TursoPrimary start(Path database) {
        return new TursoPrimary(TursoTestServer.start(database));
    }

    /** {@code http://127.0.0.1:<port>}. */
    String url() {
        return server.httpUrl();
    }

    Path database() {
        return server.database();
    }

    void stop() {
        server.stop();
    }

    /** Starts the server again on the same file and port. */
    void restart() {
        server.restart();
    }

    @Override
    public void close() {
        server.close();
    }

    // ---- Hrana over HTTP, with the backend's own client ----

    private HranaClient client() {
        return new HranaClient(URI.create(url()), "the primary " + url(), null, Duration.ofSeconds(60));
    }

    /** Runs one statement in its own transaction. */
    void execute(String sql, Object... args) {
        client().execute(new HranaStatement(sql, Arrays.asList(args)));
    }

    /** Runs the statements in ONE transaction: a batch of {@code BEGIN}, the statements, {@code COMMIT}. */
    void transaction(List<Object[]> statements) {
        Batch batch = new Batch();
        int previous = batch.add(HranaStatement.of("BEGIN"), null);
        for (Object[] s : statements) {
            previous = batch.add(new HranaStatement((String) s[0], Arrays.asList(s).subList(1, s.length)), Batch.ok(previous));
        }
        int commit = batch.add(HranaStatement.of("COMMIT"), Batch.ok(previous));
        batch.add(HranaStatement.of("ROLLBACK"), Batch.not(Batch.ok(commit)));
        BatchResult result = client().batch(batch);
        if (!result.succeeded(commit)) throw new IllegalStateException("a transaction failed on the primary: " + result.errors());
    }

    /** The rows of a query, as column-to-value maps: Long, Double, String, byte[] or null. */
    List<Map<String, Object>> query(String sql, Object... args) {
        return client().execute(new HranaStatement(sql, Arrays.asList(args))).rows();
    }

    /** Values in a form whose equals compares content: blobs become "blob:<hex>", integers Long. */
    static List<List<Object>> canonical(List<Map<String, Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            List<Object> values = new ArrayList<>();
            for (Object v : row.values()) values.add(canonicalValue(v));
            out.add(values);
        }
        return out;
    }

    static Object canonicalValue(Object v) {
        if (v instanceof byte[] b) return "blob:" + HexFormat.of().formatHex(b);
        if (v instanceof Integer i) return i.longValue();
        return v;
    }

    @Override
    public String toString() {
        return "TursoPrimary[" + url() + "]";
    }
}
