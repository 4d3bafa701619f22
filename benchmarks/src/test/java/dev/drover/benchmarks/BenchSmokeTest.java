package dev.drover.benchmarks;

import dev.drover.benchmarks.peers.Peer;
import dev.drover.benchmarks.peers.PeerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every scenario runs once with tiny sizes and reports a rate; the results file and the README block are written as
 * specified; bad options are named. Nothing is said about speed.
 */
class BenchSmokeTest {
    private static final boolean REQUIRE_SERVERS = "true".equalsIgnoreCase(System.getenv("DROVER_TEST_REQUIRE_SERVERS"));

    /** What a run printed and returned. */
    private record Ran(JsonReport report, List<Result> results, String printed) {
        Result only(String target, String scenario) {
            List<Result> matching = results.stream().filter(r -> r.target().equals(target) && r.scenario().equals(scenario)).toList();
            assertThat(matching).as(target + " " + scenario).hasSize(1);
            return matching.getFirst();
        }
    }

    private static Ran run(List<Target> targets, String... args) throws Exception {
        Options options = Options.parse(args);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Harness harness;
        JsonReport report;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            harness = new Harness(options, out, targets);
            report = harness.run();
        }
        return new Ran(report, harness.results(), buffer.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS) // processes-1, -2 and -4 start seven worker JVMs
    void everyDroverScenarioCompletesOnSqliteAndTheResultsFileSaysSo(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("results.json");
        Ran ran = run(null, "--targets", "sqlite", "--scenario", "all", "--tasks", "40", "--rate", "200", "--reps", "1",
                "--concurrency", "20", "--lease-ms", "400", "--json", json.toString());

        assertThat(ran.results()).extracting(Result::scenario).containsExactlyElementsOf(Options.ALL_SCENARIOS);
        assertThat(ran.results()).allSatisfy(r -> {
            assertThat(r.error()).as(r.scenario() + " error").isNull();
            assertThat(r.skipped()).as(r.scenario() + " skipped").isNull();
            assertThat(r.tasks()).as(r.scenario() + " tasks").isEqualTo(40);
            assertThat(r.rate()).as(r.scenario() + " rate").isPositive();
            assertThat(r.peakHeapMiB()).as(r.scenario() + " peak heap").isPositive();
            assertThat(r.backend()).as(r.scenario() + " backend").containsIgnoringCase("sqlite");
        });
        Result latency = ran.only("sqlite", "latency");
        assertThat(latency.latency()).isNotNull();
        assertThat(latency.latency().p50Ms()).isPositive();
        assertThat(latency.latency().p99Ms()).isGreaterThanOrEqualTo(latency.latency().p50Ms());
        assertThat(ran.only("sqlite", "long").note()).contains("every task ran exactly once", "no lease lost");
        assertThat(ran.only("sqlite", "retries").note()).contains("each task DONE exactly once", "12 planned failures retried");
        assertThat(ran.only("sqlite", "million").heapAfterGcMiB()).hasSize(3).allSatisfy(mib -> assertThat(mib).isPositive());
        assertThat(ran.only("sqlite", "processes-1").note()).contains("each task ran once", "handler runs per process 40 = 40");
        assertThat(ran.only("sqlite", "processes-4").note()).containsPattern("handler runs per process \\d+ \\+ \\d+ \\+ \\d+ \\+ \\d+ = 40;")
                .containsPattern("peak heap per process \\d+ / \\d+ / \\d+ / \\d+ MiB");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).as("worker processes left running").isEmpty();
        assertThat(ran.printed()).contains("== target sqlite", "[sqlite] push run 1 of 1", "Results (1 run(s)", "payload8k", "backend:");

        JsonReport back = JsonReport.read(json);
        assertThat(back.results()).hasSize(Options.ALL_SCENARIOS.size());
        assertThat(back.summary()).hasSize(Options.ALL_SCENARIOS.size()).allSatisfy(s -> {
            assertThat(s.status()).isEqualTo("ok");
            assertThat(s.medianTasksPerSecond()).isPositive();
            assertThat(s.spreadPercent()).isZero();
        });
        assertThat(back.command()).isEqualTo(String.join(" ", "--targets", "sqlite", "--scenario", "all", "--tasks", "40", "--rate", "200",
                "--reps", "1", "--concurrency", "20", "--lease-ms", "400", "--json", json.toString()));
        assertThat(back.targets()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo("sqlite");
            assertThat(t.status()).isEqualTo("ok");
            assertThat(t.sizes()).containsEntry("million", 40);
        });
        JsonNode tree = JsonMapper.builder().build().readTree(json.toFile());
        for (String field : List.of("date", "machine", "command", "options", "targets", "results", "summary")) {
            assertThat(tree.has(field)).as(field).isTrue();
        }
        assertThat(tree.get("machine").get("jvm").get("version").asString()).isNotBlank();
        assertThat(tree.get("machine").get("os").get("arch").asString()).isNotBlank();
        assertThat(tree.get("machine").get("availableProcessors").asInt()).isPositive();
        assertThat(tree.get("machine").get("maxHeapMiB").asLong()).isPositive();
        JsonNode push = tree.get("results").get(0);
        for (String field : List.of("target", "backend", "scenario", "run", "tasks", "seconds", "tasksPerSecond", "p50Ms", "p95Ms",
                "p99Ms", "maxMs", "peakHeapMiB", "note", "error", "skipped")) {
            assertThat(push.has(field)).as("results[0]." + field).isTrue();
        }
        assertThat(push.get("p50Ms").isNull()).isTrue();
        assertThat(tree.get("results").get(2).get("p99Ms").asDouble()).isPositive();
        JsonNode summary = tree.get("summary").get(0);
        for (String field : List.of("target", "scenario", "medianTasksPerSecond", "minTasksPerSecond", "maxTasksPerSecond", "spreadPercent",
                "medianP50Ms", "medianP95Ms", "medianP99Ms", "peakHeapMiB")) {
            assertThat(summary.has(field)).as("summary[0]." + field).isTrue();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWorkerProcessThatCannotStartFailsTheRunWithItsStderrAndIsGone() throws Exception {
        WorkerProcess child = WorkerProcess.start("worker process 1 of 1", "nosuch:nowhere", "bench_test", Options.defaults());
        try {
            assertThatThrownBy(() -> child.awaitReady(ProcessesScenario.CHILD_TIMEOUT))
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageContaining("worker process 1 of 1 closed its output (code 1) without saying that it is ready")
                    .hasMessageContaining("the last lines of its stderr")
                    .hasMessageContaining("nosuch");
        } finally {
            child.close();
        }
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void theProcessesScenariosRunOnSqliteAndPgmqOnlyAndWithoutInstrumentation() throws Exception {
        assertThat(Options.parse(new String[] {"--scenario", "drain,processes"}).scenarios())
                .containsExactly("drain", "processes-1", "processes-2", "processes-4");
        Scenario two = Harness.scenario("processes-2");
        assertThat(new SqliteTarget("sqlite", "").unsupported(two)).isNull();
        assertThat(new PgmqTarget("pgmq-plain", PgUrl.parse(Options.DEFAULT_PG), false).unsupported(two)).isNull();
        assertThat(new LibsqlTarget("libsql-replica", true).unsupported(two)).contains("not supported on libsql-replica");
        assertThat(new InstrumentedTarget(new SqliteTarget("sqlite", ""), Instrumentations.parse("metrics")).unsupported(two))
                .contains("not supported with --instrument");
        assertThat(new PeerTarget(new CountingPeer.Factory(), PgUrl.parse(Options.DEFAULT_PG)).unsupported(two))
                .contains("not supported by peer counting");
        assertThat(Sizes.of(new SqliteTarget("sqlite", ""), "processes-4", Options.parse(new String[] {"--quick"}))).hasValue(20_000);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aPeerRunsPushAndDrainAndSkipsTheRest(@TempDir Path dir) throws Exception {
        Ran ran = run(List.of(new PeerTarget(new CountingPeer.Factory(), PgUrl.parse(Options.DEFAULT_PG))),
                "--scenario", "push,drain,latency", "--tasks", "500", "--reps", "2", "--json", dir.resolve("r.json").toString());

        assertThat(ran.results()).extracting(Result::scenario, Result::run, Result::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("push", 1, "ok"), org.assertj.core.groups.Tuple.tuple("push", 2, "ok"),
                org.assertj.core.groups.Tuple.tuple("drain", 1, "ok"), org.assertj.core.groups.Tuple.tuple("drain", 2, "ok"),
                org.assertj.core.groups.Tuple.tuple("latency", 0, "skipped"));
        assertThat(ran.only("counting", "latency").skipped()).contains("not supported by peer counting");
        assertThat(ran.results().getFirst().backend()).isEqualTo("counting/memory");
        assertThat(ran.report().targets().getFirst().configuration()).isEqualTo("one thread per worker, no storage");
        assertThat(ran.printed()).contains("configuration: one thread per worker, no storage");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void aTargetThatCannotBeOpenedFailsAndTheOthersRun(@TempDir Path dir) throws Exception {
        Ran ran = run(null, "--targets", "pgmq-plain,sqlite", "--pg", "postgres@127.0.0.1:1/test", "--scenario", "push",
                "--tasks", "20", "--reps", "1", "--json", dir.resolve("r.json").toString());

        Result pg = ran.only("pgmq-plain", "push");
        assertThat(pg.failed()).isTrue();
        assertThat(pg.error()).contains("127.0.0.1:1");
        assertThat(ran.only("sqlite", "push").ok()).isTrue();
        assertThat(ran.report().targets()).extracting(JsonReport.TargetInfo::status).containsExactly("failed", "ok");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void pgmqPlainRunsAndDropsItsQueues(@TempDir Path dir) throws Exception {
        PgUrl pg = PgUrl.parse(Options.DEFAULT_PG);
        requirePostgres(pg);
        Ran ran = run(null, "--targets", "pgmq-plain", "--pg", Options.DEFAULT_PG, "--scenario", "push,drain", "--tasks", "50", "--reps", "1",
                "--json", dir.resolve("r.json").toString());

        assertThat(ran.results()).allSatisfy(r -> assertThat(r.error()).isNull());
        List<String> queues = new ArrayList<>();
        for (Result r : ran.results()) {
            Matcher m = Pattern.compile("queue (bench_[a-z]+)").matcher(r.note());
            assertThat(m.find()).as(r.note()).isTrue();
            queues.add(m.group(1));
        }
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            for (String queue : queues) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'pgmq' AND tablename LIKE '%" + queue + "%'")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("tables of " + queue + " left").isZero();
                }
            }
        }
    }

    /**
     * Skips the calling test, printing why, when no PostgreSQL answers at {@code pg}; fails instead when
     * {@code DROVER_TEST_REQUIRE_SERVERS=true}, as the PostgreSQL tests of the other modules do.
     */
    private static void requirePostgres(PgUrl pg) {
        String problem;
        Exception cause = null;
        try (Connection c = pg.connect()) {
            problem = c.isValid(2) ? null : "the connection did not answer within 2 s";
        } catch (java.sql.SQLException e) {
            problem = e.getMessage();
            cause = e;
        }
        if (problem == null) return;
        String why = "pgmq-plain benchmark target not tested: no PostgreSQL at " + pg + " (" + problem + "). Start one on 127.0.0.1:5432 "
                + "with trust auth and a database named test";
        if (REQUIRE_SERVERS) throw new IllegalStateException(why + " (DROVER_TEST_REQUIRE_SERVERS=true)", cause);
        System.err.println("[drover] " + why);
        Assumptions.abort(why);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void rawSqliteIsTheSqliteTargetsReference(@TempDir Path dir) throws Exception {
        Ran ran = run(null, "--targets", "sqlite,raw-sqlite", "--scenario", "push,drain", "--tasks", "300", "--reps", "1",
                "--json", dir.resolve("r.json").toString());
        assertThat(ran.results()).allSatisfy(r -> assertThat(r.ok()).as(r.target() + " " + r.scenario() + ": " + r.error()).isTrue());
        assertThat(ran.only("raw-sqlite", "drain").tasks()).isEqualTo(300);
        assertThat(ran.printed()).contains("against the references").containsPattern("sqlite +drain .* vs raw-sqlite .* = \\d+\\.\\d\\d");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void rawPgmqRunsPgmqsStatementsAndDropsItsSchema(@TempDir Path dir) throws Exception {
        PgUrl pg = PgUrl.parse(Options.DEFAULT_PG);
        requirePostgres(pg);
        Ran ran = run(null, "--targets", "raw-pgmq", "--pg", Options.DEFAULT_PG, "--scenario", "push,drain", "--tasks", "300", "--reps", "1",
                "--json", dir.resolve("r.json").toString());
        assertThat(ran.results()).allSatisfy(r -> assertThat(r.ok()).as(r.scenario() + ": " + r.error()).isTrue());
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'bench_rawpgmq_%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("schemas of raw-pgmq left behind").isZero();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void withoutPgTheHarnessRunsOnAThrowawayServerAndNamesItsSettings(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(System.getenv("DROVER_BENCH_PG") == null, "DROVER_BENCH_PG names a server: the harness uses it");
        try {
            PgCluster.binaries();
        } catch (java.io.IOException e) {
            if (REQUIRE_SERVERS) throw e;
            Assumptions.abort(e.getMessage());
        }
        Ran ran = run(null, "--targets", "raw-pgmq", "--scenario", "push", "--tasks", "100", "--reps", "1", "--json", dir.resolve("r.json").toString());
        assertThat(ran.printed()).contains("starting a throwaway PostgreSQL").containsPattern("postgresql: postgres@127\\.0\\.0\\.1:\\d+/bench")
                .contains("autovacuum=on");
        assertThat(ran.only("raw-pgmq", "push").ok()).isTrue();
        assertThat(ran.report().options().get("pgSettings")).asString().contains("synchronous_commit").contains("shared_buffers");
    }

    @Test
    void theReadmeBlockIsReplacedAndNothingElse(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("results.json");
        report().write(json);
        Path readme = dir.resolve("README.md");
        String before = "# Title\n\nProse before.\n\n## Benchmarks\n\n" + ReadmeTable.START + "\nold table\n| a | b |\n" + ReadmeTable.END
                + "\n\nProse after.\n";
        Files.writeString(readme, before);

        ReadmeTable.rewrite(json, readme);
        String after = Files.readString(readme);
        assertThat(after).startsWith("# Title\n\nProse before.\n\n## Benchmarks\n\n" + ReadmeTable.START + "\n")
                .endsWith(ReadmeTable.END + "\n\nProse after.\n")
                .doesNotContain("old table")
                .contains("Measured 2025-01-02T03:04:05Z on Test CPU, 2 cores", "-Dbench.args=\"--targets all\"",
                        "**push**", "**drain**", "| sqlite | 1,000 | 10,000 | 20.0% (9,000–11,000) |",
                        "| pgmq-extension | skipped: no pgmq here |",
                        "sqlite ÷ jobrunr-sqlite: 5.00×", "pgmq-plain ÷ dbscheduler-pg: 2.00×",
                        "- jobrunr-sqlite: JobRunr 8, 64 threads",
                        "Heap after a full GC at drain start / middle / end (largest over runs): sqlite 3.9 / 12.5 / 4.0 MiB.");
        assertThat(after).doesNotContain("pgmq-plain ÷ jobrunr-pg");

        ReadmeTable.rewrite(json, readme);
        assertThat(Files.readString(readme)).as("rewriting again changes nothing").isEqualTo(after);
    }

    @Test
    void theSummaryBlockOfTheMainReadmeComesFromTheSameFile(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("results.json");
        report().write(json);
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "## Benchmarks\n\n" + ReadmeSummary.START + "\nold summary\n" + ReadmeSummary.END + "\n\n## Modules\n");

        ReadmeSummary.rewrite(json, readme);
        String after = Files.readString(readme);
        assertThat(after).startsWith("## Benchmarks\n\n" + ReadmeSummary.START + "\n").endsWith(ReadmeSummary.END + "\n\n## Modules\n")
                .doesNotContain("old summary")
                .contains("Measured 2025-01-02 on 2 cores (Test CPU)",
                        "| tasks/s | Drover SQLite | Drover PGMQ (plain) | db-scheduler (PostgreSQL) | JobRunr (SQLite) | hand-written SQL, SQLite |",
                        "| drain (no-op handler) | 5,000 | 2,000 | 1,000 | 1,000 | 20,000 |",
                        "| bulk push | 10,000 | – | – | – | – |",
                        "drain: sqlite 0.25 of raw-sqlite", "(benchmarks/README.md)")
                .as("a target that failed every run gets no column").doesNotContain("JobRunr (PostgreSQL)");
        ReadmeSummary.rewrite(json, readme);
        assertThat(Files.readString(readme)).as("rewriting again changes nothing").isEqualTo(after);
    }

    @Test
    void theTablesLiveInTheBenchmarksReadmeAndTheMainReadmeLinksToThem() throws Exception {
        assertThat(RepoPaths.readme()).as("--readme-from's default target").endsWith(Path.of("benchmarks", "README.md"));
        String tables = Files.readString(RepoPaths.readme());
        assertThat(tables).as("benchmarks/README.md").contains(ReadmeTable.START, ReadmeTable.END);
        String main = Files.readString(RepoPaths.root().resolve("README.md"));
        assertThat(main).as("the main README").doesNotContain(ReadmeTable.START).contains(ReadmeSummary.START, ReadmeSummary.END)
                .contains("(benchmarks/README.md)");
    }

    @Test
    void aReadmeWithoutMarkersIsRefusedSayingWhatToAdd(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("results.json");
        report().write(json);
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# Title\n\nNo markers.\n");

        assertThatThrownBy(() -> ReadmeTable.rewrite(json, readme))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("add the two lines " + ReadmeTable.START + " and " + ReadmeTable.END);
        assertThat(Files.readString(readme)).isEqualTo("# Title\n\nNo markers.\n");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--taks", "5"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown option --taks");
        assertThatThrownBy(() -> Options.parse(new String[] {"--tasks", "many"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--tasks").hasMessageContaining("many");
        assertThatThrownBy(() -> Options.parse(new String[] {"--scenario", "pull"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("pull");
        assertThatThrownBy(() -> Options.parse(new String[] {"--reps"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--reps needs a value");
        assertThatThrownBy(() -> Options.parse(new String[] {"--targets", "sqlite,oracle"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown target \"oracle\"").hasMessageContaining("pgmq-plain");
        assertThatThrownBy(() -> Options.parse(new String[] {"--scale", "0"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--scale").hasMessageContaining("\"0\"");
        assertThatThrownBy(() -> Options.parse(new String[] {"--pg", "localhost"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--pg").hasMessageContaining("user@host:port/database");
        assertThatThrownBy(() -> Options.parse(new String[] {"--pg", "postgres@h/db?mode=plain"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("leave the PGMQ mode out");
        assertThatThrownBy(() -> Options.parse(new String[] {"--readme", "README.md"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--readme-from");
        assertThatThrownBy(() -> Options.parse(new String[] {"--lease-ms", "100"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--lease-ms needs at least 300");
    }

    @Test
    void splitsMavenPropertyAndKeepsDefaults() throws Exception {
        Options o = Options.parse(Options.split("  --scenario drain,push   --tasks=500 "));
        assertThat(o.scenarios()).containsExactly("drain", "push");
        assertThat(o.tasks()).isEqualTo(500);
        assertThat(o.reps()).isEqualTo(3);
        assertThat(o.targetIds()).containsExactly("sqlite");
        assertThat(Options.parse(new String[] {"--url", "sqlite:x.db"}).targetIds()).containsExactly("url");
        assertThat(Options.parse(new String[] {"--targets", "all"}).targetIds()).startsWith(Targets.DROVER_IDS.toArray(String[]::new));
        assertThat(Targets.url("sqlite:")).isInstanceOf(SqliteTarget.class);
        assertThat(Targets.url("sqlite:x.db")).isInstanceOf(UrlTarget.class);
    }

    @Test
    void sizesFollowDefaultsCapsScaleAndTasks() throws Exception {
        Options defaults = Options.parse(new String[0]);
        Options quick = Options.parse(new String[] {"--scale", "0.01"});
        Options fixed = Options.parse(new String[] {"--tasks", "7"});
        Target sqlite = new SqliteTarget("sqlite", "");
        Target libsql = new LibsqlTarget("libsql-remote", false);
        Target ext = new PgmqTarget("pgmq-extension", PgUrl.parse(Options.DEFAULT_PG), true);

        assertThat(Sizes.of(sqlite, "push", defaults)).hasValue(1_000_000);
        assertThat(Sizes.of(sqlite, "latency", defaults)).hasValue(2_000);
        assertThat(Sizes.of(sqlite, "push", quick)).hasValue(10_000);
        assertThat(Sizes.of(sqlite, "long", quick)).hasValue(3);
        assertThat(Sizes.of(libsql, "push", defaults)).hasValue(100_000);
        assertThat(Sizes.of(libsql, "drain", quick)).hasValue(200);
        assertThat(Sizes.of(libsql, "million", defaults)).isEmpty();
        assertThat(Sizes.of(ext, "million", defaults)).isEmpty();
        assertThat(Sizes.of(libsql, "million", fixed)).hasValue(7);
    }

    @Test
    void pgUrlBecomesDroverAndJdbcUrls() {
        PgUrl pg = PgUrl.parse("pgmq://app:s3cret@db.local:6543/jobs?sslmode=disable");
        assertThat(pg.droverUrl("plain")).isEqualTo("pgmq://app:s3cret@db.local:6543/jobs?mode=plain&sslmode=disable");
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:6543/jobs?user=app&password=s3cret&sslmode=disable");
        assertThat(pg.describe()).isEqualTo("app@db.local:6543/jobs").doesNotContain("s3cret");
        assertThat(PgUrl.parse(Options.DEFAULT_PG).jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        assertThat(PgUrl.parse("postgres@127.0.0.1/test").withDatabase("other").droverUrl("extension"))
                .isEqualTo("pgmq://postgres@127.0.0.1:5432/other?mode=extension");
    }

    /** A results file as a full run with peers would write it (numbers made up). */
    private static JsonReport report() {
        JsonReport.Machine machine = new JsonReport.Machine(new JsonReport.Jvm("Vendor", "VM", "25", List.of("-Xmx256m")),
                new JsonReport.Os("Linux", "6.1", "amd64"), "Test CPU", 2, 256);
        List<Summary> summary = List.of(
                ok("sqlite", "push", 1000, 10_000, 9_000, 11_000),
                ok("sqlite", "drain", 1000, 5_000, 4_000, 6_000),
                ok("raw-sqlite", "drain", 1000, 20_000, 19_000, 21_000),
                ok("pgmq-plain", "drain", 1000, 2_000, 1_900, 2_100),
                new Summary("pgmq-extension", "drain", null, 0, 0, 0, null, null, null, null, null, null, null, null, null, List.of(), "skipped",
                        "no pgmq here"),
                ok("jobrunr-sqlite", "drain", 1000, 1_000, 900, 1_100),
                ok("dbscheduler-pg", "drain", 1000, 1_000, 950, 1_050),
                new Summary("jobrunr-pg", "drain", "jobrunr", 3, 0, 1000, null, null, null, null, null, null, null, null, 80.0, List.of(), "failed",
                        "run 1: boom"),
                ok("sqlite", "million", 1000, 3_000, 3_000, 3_000));
        return new JsonReport("2025-01-02T03:04:05Z", machine, "--targets all", JsonReport.mavenCommand("--targets all"), Map.of(),
                List.of(new JsonReport.TargetInfo("jobrunr-sqlite", "peer", "jobrunr/sqlite", "JobRunr 8, 64 threads", Map.of(), "ok", null)),
                Map.of("push", "push: 1000 tasks via pushAll", "drain", "drain: 1000 tasks, no-op handler"), List.of(), summary);
    }

    private static Summary ok(String target, String scenario, long tasks, double median, double min, double max) {
        return new Summary(target, scenario, target, 3, 3, tasks, median, min, max, Stats.spreadPercent(min, max, median),
                null, null, null, null, 50.0, scenario.equals("million") ? List.of(3.9, 12.5, 4.0) : List.of(), "ok", null);
    }

    /** A peer with no storage: push counts, each worker thread calls {@code ran} for its share of the jobs. */
    static final class CountingPeer implements Peer {
        static final class Factory implements PeerFactory {
            @Override
            public String id() {
                return "counting";
            }

            @Override
            public Peer open(String postgresJdbcUrl, Path workDir) {
                assertThat(workDir).isEmptyDirectory();
                assertThat(postgresJdbcUrl).startsWith("jdbc:postgresql://");
                return new CountingPeer();
            }
        }

        private int stored;
        private final List<Thread> threads = new ArrayList<>();

        @Override
        public String name() {
            return "counting/memory";
        }

        @Override
        public String configuration() {
            return "one thread per worker, no storage";
        }

        @Override
        public void push(int n, IntConsumer progress) {
            stored += n;
            progress.accept(stored);
        }

        @Override
        public void startWorkers(int threads, IntConsumer ran) {
            int jobs = stored;
            for (int t = 0; t < threads; t++) {
                int first = t;
                this.threads.add(Thread.ofPlatform().start(() -> {
                    for (int job = first; job < jobs; job += threads) ran.accept(job);
                }));
            }
        }

        @Override
        public void close() throws InterruptedException {
            for (Thread t : threads) t.join();
        }
    }
}
