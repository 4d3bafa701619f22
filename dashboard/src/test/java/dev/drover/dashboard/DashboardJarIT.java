package dev.drover.dashboard;

import dev.drover.api.Drover;
import dev.drover.api.TaskOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The standalone dashboard: the runnable jar as a process, as an operator starts it. */
class DashboardJarIT {
    @TempDir
    Path dir;

    @Test
    void theJarServesAStorageGivenByUrlAndStopsOnSigterm() throws Exception {
        String url = "sqlite:" + dir.resolve("jobs.db");
        try (Drover drover = Drover.open(url)) {
            drover.queue("emails", String.class).push("hello", TaskOptions.defaults().runAfter(Duration.ofHours(1)));
        }
        Process p = start(Map.of(), "--url", url, "--port", "0");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            String address = null;
            while (address == null && (line = out.readLine()) != null) {
                int at = line.indexOf(" at http://");
                if (line.startsWith("Drover dashboard of ") && at > 0) address = line.substring(at + 4).strip();
            }
            assertThat(address).as("the jar says where it listens").startsWith("http://127.0.0.1:");
            HttpResponse<String> queues = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(address + "api/queues")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(queues.body()).contains("\"queue\":\"emails\"").contains("\"pending\":1");
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook closes the dashboard and the storage
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isIn(0, 143);
    }

    @Test
    void aNonLoopbackBindWithoutACredentialExitsWithUsageStatusAndSaysWhy() throws Exception {
        Process p = start(Map.of(), "--url", "sqlite:" + dir.resolve("jobs.db"), "--port", "0", "--bind", "0.0.0.0");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).contains("refuses to listen on 0.0.0.0 without a credential").contains("DROVER_DASHBOARD_TOKEN");
    }

    @Test
    void aTokenFromTheEnvironmentIsRequiredAndNeverPrinted() throws Exception {
        String token = "token-from-env-0123456789";
        Process p = start(Map.of("DROVER_DASHBOARD_TOKEN", token), "--url", "sqlite:" + dir.resolve("jobs.db"), "--port", "0", "--bind", "0.0.0.0");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            while (line != null && !line.startsWith("Drover dashboard of ")) line = out.readLine();
            assertThat(line).isNotNull().doesNotContain(token).contains(" at http://0.0.0.0:");
            int port = Integer.parseInt(line.replaceAll(".*:(\\d+)/.*", "$1"));
            HttpClient http = HttpClient.newHttpClient();
            URI api = URI.create("http://127.0.0.1:" + port + "/api/queues");
            assertThat(http.send(HttpRequest.newBuilder(api).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(api).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void noStorageIsAUsageError() throws Exception {
        Process p = start(Map.of("DROVER_URL", ""));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).contains("no storage given: pass --url");
    }

    private static Process start(Map<String, String> env, String... args) throws Exception {
        String jar = System.getProperty("drover.dashboard.jar");
        assertThat(jar).as("the jar built by package (system property drover.dashboard.jar)").isNotNull();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("DROVER_URL");
        pb.environment().remove("DROVER_DASHBOARD_TOKEN");
        pb.environment().putAll(env);
        return pb.start();
    }
}
