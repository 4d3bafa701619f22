package dev.drover.dashboard;

import dev.drover.api.Drover;
import dev.drover.api.worker.Worker;
import dev.drover.conformance.Await;
import dev.drover.workflow.RunId;
import dev.drover.workflow.StepPolicy;
import dev.drover.workflow.Workflow;
import dev.drover.workflow.WorkflowClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Workflow runs, read back from their tasks: a run that finished and one whose step died, as page and as JSON. */
class WorkflowRunsPageTest {
    @TempDir
    Path dir;

    @Test
    void runsAreListedWithTheirStepsStates() throws Exception {
        Workflow<String, String> greet = Workflow.sequence("greet", String.class)
                .then("upper", String.class, s -> {
                    if (s.startsWith("fail")) throw new IllegalStateException("cannot shout " + s);
                    return s.toUpperCase();
                })
                .policy(StepPolicy.once())
                .then("exclaim", String.class, s -> s + "!")
                .build();
        try (Drover drover = Drover.open(TestStorages.sqlite(dir))) {
            WorkflowClient<String, String> client = WorkflowClient.of(drover, greet);
            Worker<byte[]> worker = client.worker().pollInterval(Duration.ofMillis(20), Duration.ofMillis(200)).start();
            RunId done;
            RunId failed;
            try {
                done = client.start("hello");
                failed = client.start("fail <i>me</i>");
                Await.until(Duration.ofSeconds(30), () -> client.state(done).status().isTerminal() && client.state(failed).status().isTerminal(),
                        "both runs end");
            } finally {
                worker.close();
            }
            String queue = greet.queue().value();
            try (DroverDashboard dashboard = DroverDashboard.start(drover, 0)) {
                HttpClient http = HttpClient.newHttpClient();
                JsonNode runs = JsonMapper.builder().build().readTree(http.send(HttpRequest.newBuilder(dashboard.url().resolve("api/runs")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                List<String> statuses = new ArrayList<>();
                runs.forEach(r -> statuses.add(r.path("run").asString() + "=" + r.path("status").asString()));
                assertThat(statuses).containsExactlyInAnyOrder(done.value() + "=done", failed.value() + "=failed");

                String list = http.send(HttpRequest.newBuilder(dashboard.url().resolve("runs")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(list).contains(done.value()).contains(failed.value()).contains("run-failed").contains("run-done");

                String page = http.send(HttpRequest.newBuilder(dashboard.url().resolve("runs/" + queue + "/" + failed.value())).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(page).contains("class=\"node dead\"").contains(">upper<").doesNotContain(">exclaim<");
                String ok = http.send(HttpRequest.newBuilder(dashboard.url().resolve("runs/" + queue + "/" + done.value())).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(ok).contains(">upper<").contains(">exclaim<").doesNotContain("class=\"node dead\"");
                assertThat(http.send(HttpRequest.newBuilder(dashboard.url().resolve("runs/" + queue + "/no-such-run")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            }
        }
    }
}
