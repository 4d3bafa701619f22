package dev.drover.examples.spring;

import dev.drover.api.Drover;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.conformance.Await;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example application, whole: its web server, its DataSource and transaction manager, the Drover starter. An HTTP
 * request places an order in a transaction that commits (the task runs) or rolls back (nothing is stored); the health
 * endpoint reports the backend. One subclass per database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class OrdersApplicationContract {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    Environment environment;
    @Autowired
    Drover drover;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    OrderEmails emails;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aCommittedOrderStoresItsTaskAndTheHandlerRunsIt() throws Exception {
        HttpResponse<String> r = post("/orders", "{\"email\": \"ada@example.com\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        String order = body.path("order").asString();
        TaskId task = TaskId.of(body.path("task").asString());
        Await.until(Duration.ofSeconds(30), () -> emails.sent().contains(order), "the handler sent order " + order);
        Await.until(Duration.ofSeconds(30), () -> drover.admin().get("order_emails", task).map(t -> t.state() == TaskState.DONE).orElse(false),
                "task " + task + " is DONE");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM example_orders WHERE id = ?", Integer.class, order)).isEqualTo(1);
    }

    @Test
    void aRolledBackOrderLeavesNeitherOrderNorTask() throws Exception {
        HttpResponse<String> r = post("/orders", "{\"email\": \"bob@example.com\", \"declined\": true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(402);
        JsonNode body = JSON.readTree(r.body());
        TaskId task = TaskId.of(body.path("rolledBackTask").asString());
        assertThat(drover.admin().get("order_emails", task)).as("the pushed task went with the rollback").isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM example_orders WHERE id = ?", Integer.class, body.path("order").asString())).isZero();
    }

    @Test
    void theHealthEndpointReportsTheBackend() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode drover = JSON.readTree(r.body()).path("components").path("drover");
        assertThat(drover.path("status").asString()).isEqualTo("UP");
        assertThat(drover.path("details").path("backend").asString()).isEqualTo(this.drover.admin().describe());
        assertThat(drover.path("details").path("workers").has("order_emails")).isTrue();
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path);
    }
}
