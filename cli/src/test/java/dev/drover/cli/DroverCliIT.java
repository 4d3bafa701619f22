package dev.drover.cli;

import dev.drover.api.Drover;
import dev.drover.api.TaskId;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.WorkerId;
import dev.drover.spi.ClaimedTask;
import dev.drover.spi.Settlement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built {@code drover} jar, run as a process (as a user runs it) against a real SQLite file and the real PostgreSQL:
 * its output, its JSON and its exit codes, bad input included.
 */
class DroverCliIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String PG = Optional.ofNullable(System.getenv("DROVER_TEST_PG_URL")).filter(s -> !s.isBlank())
            .orElse("postgresql://postgres@127.0.0.1:5432/test");

    record Job(int n) { }

    record Run(int exit, String out, String err) { }

    @TempDir
    Path dir;
    String url;

    @BeforeEach
    void file() {
        url = "sqlite:" + dir.resolve("jobs.db");
    }

    static Run drover(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("drover.cli.jar");
        assertThat(jar).as("the jar built by package (system property drover.cli.jar)").isNotNull();
        assertThat(Path.of(jar)).as("the runnable jar").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("DROVER_URL");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("drover %s ended", List.of(args)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    Run drover(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--url", url));
        all.addAll(List.of(args));
        return drover(Map.of(), all.toArray(String[]::new));
    }

    @Test
    void operatesASqliteFileWithTablesJsonAndExitCodes() throws Exception {
        TaskId dead;
        TaskId done;
        List<TaskId> pending;
        try (Drover d = Drover.open(url)) {
            TaskQueue<Job> jobs = d.queue("jobs", Job.class);
            List<TaskId> ids = jobs.pushAll(IntStream.range(0, 5).mapToObj(Job::new).toList());
            List<ClaimedTask> claimed = d.backend().claim(jobs.name(), new WorkerId("cli-test"), 2, Duration.ofMinutes(1));
            d.backend().settle(List.of(new Settlement.Complete(claimed.get(0).lease(), null), new Settlement.Kill(claimed.get(1).lease(), "boom <b>")));
            done = claimed.get(0).task().id();
            dead = claimed.get(1).task().id();
            pending = ids.stream().filter(id -> !id.equals(dead) && !id.equals(done)).toList();
        }

        Run queues = drover("queues");
        assertThat(queues.exit()).as(queues.err()).isZero();
        assertThat(queues.out()).containsPattern("jobs +3 +0 +1 +1 +0");
        JsonNode json = JSON.readTree(drover("queues", "--json").out());
        assertThat(json.get(0).get("queue").asString()).isEqualTo("jobs");
        assertThat(json.get(0).get("dead").asLong()).isEqualTo(1);

        Run list = drover("list", "jobs", "--state", "dead", "--json");
        assertThat(JSON.readTree(list.out()).get("tasks").get(0).get("id").asString()).isEqualTo(dead.value());
        Run paged = drover("list", "jobs", "--limit", "2");
        assertThat(paged.out()).contains("next page:     --after ");

        Run show = drover("show", dead.value());
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("DEAD").contains("boom <b>").contains("{\"n\":");
        assertThat(drover("show", "no-such-task").exit()).as("show of an unknown task").isEqualTo(DroverCli.NOT_DONE);

        assertThat(drover("requeue", dead.value(), "--queue", "jobs").exit()).isZero();
        Run again = drover("requeue", dead.value(), "--queue", "jobs");
        assertThat(again.exit()).as("requeue of a task no longer dead").isEqualTo(DroverCli.NOT_DONE);
        assertThat(again.err()).contains("is not dead or cancelled");
        assertThat(drover("retry", pending.get(0).value(), "--queue", "jobs").exit()).isZero();
        assertThat(drover("cancel", pending.get(1).value(), "--queue", "jobs").exit()).isZero();
        assertThat(drover("cancel", pending.get(1).value(), "--queue", "jobs").exit()).as("a second cancel").isEqualTo(DroverCli.NOT_DONE);
        assertThat(drover("delete", pending.get(1).value(), "--queue", "jobs").exit()).as("delete of the cancelled task").isZero();
        Run purge = drover("purge", "jobs", "--state", "done", "--older-than", "0s", "--json");
        assertThat(JSON.readTree(purge.out()).get("deleted").asInt()).isEqualTo(1);
        assertThat(drover("pause", "jobs").exit()).isZero();
        assertThat(drover("queues").out()).containsPattern("jobs .* paused");
        assertThat(drover("resume", "jobs").exit()).isZero();

        Run pushed = drover("push", "mail", "--payload", "{\"to\": \"ada@example.com\"}", "--priority", "5");
        assertThat(pushed.exit()).as(pushed.err()).isZero();
        try (Drover d = Drover.open(url)) {
            assertThat(d.queue("mail", Job.class).get(TaskId.of(pushed.out().strip())).map(t -> t.priority())).contains(5);
        }
        Run stats = drover("stats", "jobs", "--json");
        assertThat(JSON.readTree(stats.out()).get(0).get("throughput")).hasSize(10);
        assertThat(drover("queues", "--json").exit()).isZero();
        assertThat(TaskState.values()).isNotEmpty();
    }

    @Test
    void badInputGetsAClearMessageAndAUsageExitCode() throws Exception {
        Run noUrl = drover(Map.of(), "queues");
        assertThat(noUrl.exit()).isEqualTo(DroverCli.USAGE);
        assertThat(noUrl.err()).contains("pass --url").contains("DROVER_URL");

        Run badQueue = drover("list", "Not A Queue");
        assertThat(badQueue.exit()).isEqualTo(DroverCli.USAGE);
        assertThat(badQueue.err()).contains("Not A Queue");

        Run badJson = drover("push", "mail", "--payload", "{to: ");
        assertThat(badJson.exit()).isEqualTo(DroverCli.USAGE);
        assertThat(badJson.err()).contains("is not JSON");

        Run badDuration = drover("purge", "jobs", "--state", "done", "--older-than", "seven days");
        assertThat(badDuration.exit()).isEqualTo(DroverCli.USAGE);
        assertThat(badDuration.err()).contains("is not a duration");

        Run unknown = drover("frobnicate");
        assertThat(unknown.exit()).isEqualTo(DroverCli.USAGE);

        Run scheme = drover(Map.of(), "--url", "nosuch://x", "queues");
        assertThat(scheme.exit()).isEqualTo(DroverCli.STORAGE);
        assertThat(scheme.err()).contains("nosuch");
    }

    @Test
    void anUnreachableDatabaseFailsWithExitThreeAndNoPassword() throws Exception {
        Run run = drover(Map.of(), "--url", "pgmq://postgres:s3cret-pw@127.0.0.1:1/test", "queues");
        assertThat(run.exit()).as(run.err()).isEqualTo(DroverCli.STORAGE);
        assertThat(run.err()).startsWith("drover: ").doesNotContain("s3cret-pw");
        assertThat(run.out()).doesNotContain("s3cret-pw");
    }

    @Test
    void worksOnPostgresqlThroughDroverUrl() throws Exception {
        String queue = "cli_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        String pgmq = "pgmq://" + PG.substring(PG.indexOf("://") + 3);
        Map<String, String> env = Map.of("DROVER_URL", pgmq);
        Run pushed = drover(env, "push", queue, "--payload", "{\"n\": 1}");
        assertThat(pushed.exit()).as(pushed.err()).isZero();
        Run queues = drover(env, "queues", "--json");
        assertThat(queues.exit()).as(queues.err()).isZero();
        boolean found = false;
        for (JsonNode q : JSON.readTree(queues.out())) {
            if (q.get("queue").asString().equals(queue)) {
                found = true;
                assertThat(q.get("pending").asLong()).isEqualTo(1);
            }
        }
        assertThat(found).as("queue %s listed", queue).isTrue();
        Run show = drover(env, "show", pushed.out().strip(), "--queue", queue, "--json");
        assertThat(JSON.readTree(show.out()).get("state").asString()).isEqualTo("PENDING");
        assertThat(Files.exists(dir)).isTrue();
    }

    @Test
    void dashboardServesTheStorageUntilStopped() throws Exception {
        try (Drover d = Drover.open(url)) {
            d.queue("jobs", Job.class).push(new Job(1), dev.drover.api.TaskOptions.defaults().runAfter(Duration.ofHours(1)));
        }
        String jar = System.getProperty("drover.cli.jar");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar, "--url", url, "dashboard",
                "--port", "0").start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            while (line != null && !line.startsWith("Drover dashboard of ")) line = out.readLine();
            assertThat(line).as("drover dashboard says where it listens").isNotNull().contains(" at http://127.0.0.1:");
            java.net.URI api = java.net.URI.create(line.substring(line.indexOf(" at http://") + 4).strip() + "api/queues");
            String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(api).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("\"queue\":\"jobs\"").contains("\"pending\":1");
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
