package dev.drover.dashboard;

import dev.drover.api.Drover;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

/** The JSON admin API, as a script uses it: read the CSRF token once, then GET and POST. On a SQLite file. */
class DashboardApiTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    Drover drover;
    DroverDashboard dashboard;
    TaskQueue<String> mails;
    String csrf;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        drover = Drover.open(TestStorages.sqlite(dir));
        mails = drover.queue("mails", String.class);
        dashboard = DroverDashboard.start(drover, 0);
        JsonNode session = get("session", 200);
        assertThat(session.path("backend").asString()).startsWith("sqlite:");
        assertThat(session.path("readOnly").asBoolean()).isFalse();
        csrf = session.path("csrf").asString();
    }

    @AfterEach
    void stop() {
        dashboard.close();
        drover.close();
    }

    @Test
    void queuesAndTasksPageBothWays() throws Exception {
        List<TaskId> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) ids.add(mails.push("mail " + i, TaskOptions.defaults().runAfter(Duration.ofHours(1))));
        JsonNode queues = get("queues", 200);
        assertThat(queues).hasSize(1);
        assertThat(queues.get(0).path("queue").asString()).isEqualTo("mails");
        assertThat(queues.get(0).path("pending").asLong()).isEqualTo(7);
        assertThat(get("queues/mails", 200).path("throughput")).hasSize(60);
        assertThat(get("queues/mails/throughput?minutes=5", 200)).hasSize(5);

        JsonNode first = get("queues/mails/tasks?state=pending&limit=3", 200);
        assertThat(ids(first)).containsExactly(ids.get(0).value(), ids.get(1).value(), ids.get(2).value());
        assertThat(first.path("before").isNull()).isTrue();
        JsonNode second = get("queues/mails/tasks?state=pending&limit=3&after=" + first.path("after").asString(), 200);
        assertThat(ids(second)).containsExactly(ids.get(3).value(), ids.get(4).value(), ids.get(5).value());
        JsonNode back = get("queues/mails/tasks?state=pending&limit=3&before=" + second.path("before").asString(), 200);
        assertThat(ids(back)).isEqualTo(ids(first));
        JsonNode last = get("queues/mails/tasks?state=pending&limit=3&after=" + second.path("after").asString(), 200);
        assertThat(ids(last)).containsExactly(ids.get(6).value());
        assertThat(last.path("after").isNull()).isTrue();

        JsonNode task = get("queues/mails/tasks/" + ids.get(0), 200);
        assertThat(task.path("payload").asString()).isEqualTo("\"mail 0\"");
        assertThat(task.path("state").asString()).isEqualTo("PENDING");
        assertThat(get("tasks/" + ids.get(0), 200).path("queue").asString()).isEqualTo("mails");
        assertThat(get("tasks/" + TaskId.generate(), 404).path("error").asString()).contains("in any queue");
    }

    @Test
    void actionsSayWhetherTheyApplied() throws Exception {
        TaskId id = mails.push("later", TaskOptions.defaults().runAfter(Duration.ofHours(1)));
        assertThat(post("queues/mails/tasks/" + id + "/requeue", "", 409).path("error").asString()).contains("does not apply to a PENDING task");
        assertThat(post("queues/mails/tasks/" + id + "/cancel", "", 200).path("ok").asBoolean()).isTrue();
        assertThat(drover.admin().get("mails", id).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(post("queues/mails/tasks/" + id + "/retry", "", 200).path("message").asString()).isEqualTo("The task is due now.");
        assertThat(drover.admin().get("mails", id).orElseThrow().state()).isEqualTo(TaskState.PENDING);
        assertThat(post("queues/mails/tasks/" + TaskId.generate() + "/cancel", "", 404).path("error").asString()).contains("no task");

        assertThat(post("queues/mails/pause", "", 200).path("ok").asBoolean()).isTrue();
        assertThat(get("queues/mails", 200).path("paused").asBoolean()).isTrue();
        post("queues/mails/resume", "", 200);
        assertThat(drover.admin().queue("mails").paused()).isFalse();
        assertThat(post("queues/mails/requeue-dead", "", 200).path("requeued").asInt()).isZero();
    }

    @Test
    void pushTakesOneJsonValue() throws Exception {
        JsonNode pushed = post("queues/mails/tasks", "{\"to\": \"ada@example.com\"}", 201);
        TaskId id = TaskId.of(pushed.path("id").asString());
        assertThat(drover.admin().get("mails", id).orElseThrow().payload()).asString().isEqualTo("{\"to\": \"ada@example.com\"}");
        assertThat(post("queues/mails/tasks", "{not json", 400).path("error").asString()).contains("is not JSON");
        assertThat(post("queues/Not-A-Queue/tasks", "{}", 400).path("error").asString()).contains("invalid queue name");
    }

    static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("tasks").forEach(t -> out.add(t.path("id").asString()));
        return out;
    }

    JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(dashboard.url().resolve("api/" + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET /api/%s: %s", path, r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return JSON.readTree(r.body());
    }

    JsonNode post(String path, String body, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(dashboard.url().resolve("api/" + path)).header("X-Drover-Csrf", csrf)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST /api/%s: %s", path, r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }
}
