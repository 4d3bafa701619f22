package dev.drover.benchmarks.peers;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every peer opens, stores 50 jobs, runs each once on 4 workers and leaves nothing behind. Nothing is said about speed.
 * The PostgreSQL peers use {@code DROVER_TEST_PG_URL} (a JDBC URL, or a Drover {@code pgmq://} URL as the PGMQ tests
 * take) or the local server's database {@code test}; without a server they are skipped, saying why, unless
 * {@code DROVER_TEST_REQUIRE_SERVERS=true}, which makes that a failure.
 */
class PeersSmokeTest {
    private static final int JOBS = 50;
    private static final int THREADS = 4;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final String PG_URL = Optional.ofNullable(System.getenv("DROVER_TEST_PG_URL")).filter(s -> !s.isBlank())
            .map(PeersSmokeTest::jdbcUrl).orElse("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static final boolean REQUIRED = "true".equalsIgnoreCase(System.getenv("DROVER_TEST_REQUIRE_SERVERS"));

    static Stream<String> ids() {
        return Peers.all().stream().map(PeerFactory::id);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void runsEveryJobOnceAndLeavesNothingBehind(String id, @TempDir Path workDir) throws Exception {
        boolean postgres = id.endsWith("-pg") || id.equals("raw-pgmq");
        if (postgres) requirePostgres();
        AtomicInteger ran = new AtomicInteger();
        AtomicIntegerArray runsOfJob = new AtomicIntegerArray(JOBS);
        List<Integer> outOfRange = new CopyOnWriteArrayList<>();
        List<Integer> progress = new ArrayList<>();
        Peer peer = Peers.byId(id).open(PG_URL, workDir);
        String schema;
        try {
            schema = schemaOf(peer);
            assertThat(peer.name()).isNotBlank();
            if (postgres && schema != null) assertThat(schemaExists(schema)).as("schema %s while open", schema).isTrue();

            peer.push(JOBS, progress::add);
            assertThat(progress).isNotEmpty().last().isEqualTo(JOBS);

            peer.startWorkers(THREADS, job -> {
                if (job >= 0 && job < JOBS) runsOfJob.incrementAndGet(job);
                else outOfRange.add(job);
                ran.incrementAndGet();
            });
            long start = System.nanoTime();
            while (ran.get() < JOBS && System.nanoTime() - start < DEADLINE_NANOS) {
                Thread.sleep(20);
            }
            assertThat(ran.get()).as("jobs run within 60 s").isEqualTo(JOBS);
            assertThat(peer.configuration()).contains(Integer.toString(THREADS));
        } finally {
            peer.close();
        }
        assertThat(outOfRange).as("numbers of jobs run that were never pushed (pushed: 0 to %d)", JOBS - 1).isEmpty();
        Map<Integer, Integer> notOnce = new TreeMap<>();
        for (int job = 0; job < JOBS; job++) if (runsOfJob.get(job) != 1) notOnce.put(job, runsOfJob.get(job));
        assertThat(notOnce).as("jobs not run exactly once (job number: runs)").isEmpty();
        assertThat(ran.get()).as("job runs in all").isEqualTo(JOBS);
        if (postgres) {
            if (schema != null) assertThat(schemaExists(schema)).as("schema %s after close", schema).isFalse();
        } else {
            try (Stream<Path> left = Files.list(workDir)) {
                assertThat(left).as("files left in the run's folder").isEmpty();
            }
        }
    }

    @Test
    void unknownIdNamesTheKnownOnes() {
        assertThat(Peers.all()).extracting(PeerFactory::id)
                .containsExactly("dbscheduler-pg", "jobrunr-pg", "jobrunr-sqlite", "raw-sqlite", "raw-pgmq");
        assertThat(Peers.byId("jobrunr-pg").id()).isEqualTo("jobrunr-pg");
        assertThatThrownBy(() -> Peers.byId("quartz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quartz")
                .hasMessageContaining("dbscheduler-pg, jobrunr-pg, jobrunr-sqlite, raw-sqlite, raw-pgmq");
    }

    private static String schemaOf(Peer peer) {
        if (peer instanceof DbSchedulerPeer p) return p.schema();
        if (peer instanceof JobRunrPeer p) return p.schema();
        if (peer instanceof RawPgmqPeer p) return p.schema(); // null where pgmq's own functions keep the queue
        if (peer instanceof RawSqlitePeer) return null;       // a file in the run's folder
        throw new AssertionError("unknown peer " + peer);
    }

    private static boolean schemaExists(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL);
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void requirePostgres() {
        try {
            DriverManager.getConnection(PG_URL).close();
        } catch (SQLException e) {
            String why = "PostgreSQL peers not tested: no server at " + PG_URL + " (" + e.getMessage() + "). Start one on "
                    + "127.0.0.1:5432 with trust auth and a database named test, or set DROVER_TEST_PG_URL";
            if (REQUIRED) throw new IllegalStateException(why + " (DROVER_TEST_REQUIRE_SERVERS=true)", e);
            Assumptions.abort(why);
        }
    }

    /** Drover's parameters, which pgjdbc would refuse. */
    private static final Set<String> DROVER_PARAMS = Set.of("mode", "poolSize", "wakeups", "defaultMaxAttempts");

    /** A JDBC URL as is; a {@code pgmq://user:password@host:port/database?params} URL turned into one. */
    static String jdbcUrl(String url) {
        if (url.startsWith("jdbc:")) return url;
        URI uri = URI.create(url.replaceFirst("^[a-z]+:", "pg:"));
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://")
                .append(uri.getHost() == null ? "localhost" : uri.getHost())
                .append(':').append(uri.getPort() < 0 ? 5432 : uri.getPort())
                .append(uri.getRawPath());
        List<String> params = new ArrayList<>();
        if (uri.getUserInfo() != null) {
            String[] userPassword = uri.getUserInfo().split(":", 2);
            params.add("user=" + URLEncoder.encode(userPassword[0], StandardCharsets.UTF_8));
            if (userPassword.length > 1) params.add("password=" + URLEncoder.encode(userPassword[1], StandardCharsets.UTF_8));
        }
        if (uri.getRawQuery() != null) {
            for (String p : uri.getRawQuery().split("&")) {
                if (!p.isEmpty() && !DROVER_PARAMS.contains(p.split("=", 2)[0])) params.add(p);
            }
        }
        return params.isEmpty() ? jdbc.toString() : jdbc.append('?').append(String.join("&", params)).toString();
    }

    @Test
    void turnsDroverPostgresUrlsIntoJdbcUrls() {
        assertThat(jdbcUrl("jdbc:postgresql://h:1/db?user=u")).isEqualTo("jdbc:postgresql://h:1/db?user=u");
        assertThat(jdbcUrl("pgmq://postgres@127.0.0.1:5432/test"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        assertThat(jdbcUrl("postgresql://app:s%40cret@db/jobs?mode=plain&sslmode=require"))
                .isEqualTo("jdbc:postgresql://db:5432/jobs?user=app&password=s%40cret&sslmode=require");
    }
}
