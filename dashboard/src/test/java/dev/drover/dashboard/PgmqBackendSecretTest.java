package dev.drover.dashboard;

import dev.drover.api.Drover;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** A password in the storage URL is never shown: not on a page, not in the JSON API. PostgreSQL (trust auth ignores it). */
class PgmqBackendSecretTest {
    @Test
    void thePasswordOfTheUrlAppearsNowhere() throws Exception {
        String url = TestStorages.pgmq();
        String secret = "hunter2-never-shown";
        String withPassword = url.replaceFirst("://([^:@/]+)@", "://$1:" + secret + "@");
        assertThat(withPassword).as("the test URL names a user to add a password to").contains(secret);
        try (Drover drover = Drover.open(withPassword); DroverDashboard dashboard = DroverDashboard.start(drover, 0)) {
            drover.queue("secret_check", String.class).push("x");
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"", "queues/secret_check", "api/session", "api/queues", "no/such/page"}) {
                String body = http.send(HttpRequest.newBuilder(dashboard.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(body).as(path).doesNotContain(secret);
                if (!path.equals("api/queues")) assertThat(body).as(path + " names the server").contains("127.0.0.1");
            }
        }
    }
}
