package dev.drover.examples.spring;

import dev.drover.api.Drover;
import dev.drover.api.TaskId;
import dev.drover.api.TaskState;
import dev.drover.conformance.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Closing the application drains its worker, then releases the task still running, for another process to run. */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void aTaskRunningAtShutdownIsReleasedNotLost() throws Exception {
        Path file = dir.resolve("orders.db");
        ConfigurableApplicationContext app = SpringApplication.run(OrdersApplication.class, "--server.port=0",
                "--spring.datasource.url=jdbc:sqlite:" + file, "--drover.url=sqlite:" + file,
                "--drover.workers.order_emails.drain-timeout=300ms");
        TaskId task;
        try {
            String port = app.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"email\": \"slow@example.com\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            task = TaskId.of(JsonMapper.builder().build().readTree(r.body()).path("task").asString());
            Drover drover = app.getBean(Drover.class);
            Await.until(Duration.ofSeconds(30), () -> drover.admin().get("order_emails", task).orElseThrow().state() == TaskState.RUNNING,
                    "the slow send starts");
        } finally {
            app.close();
        }
        try (Drover drover = Drover.open("sqlite:" + file)) {
            assertThat(drover.admin().get("order_emails", task).orElseThrow().state()).as("released, to run again").isEqualTo(TaskState.PENDING);
        }
    }
}
