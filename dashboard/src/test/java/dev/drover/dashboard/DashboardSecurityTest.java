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

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The dashboard's safety rules, over HTTP on a SQLite file: who gets in, which POSTs are refused, what a page escapes
 * and which headers it sends. The browser test shows the same from Chromium's side.
 */
class DashboardSecurityTest {
    @TempDir
    Path dir;
    Drover drover;
    TaskQueue<String> mails;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void open() {
        drover = Drover.open(TestStorages.sqlite(dir));
        mails = drover.queue("mails", String.class);
    }

    @AfterEach
    void close() {
        drover.close();
    }

    @Test
    void aNonLoopbackBindWithoutACredentialRefusesToStartAndHoldsNoPort() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        int chosen = port;
        assertThatThrownBy(() -> DroverDashboard.builder(drover).bind("0.0.0.0").port(chosen).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refuses to listen on 0.0.0.0 without a credential")
                .hasMessageContaining("token");
        try (ServerSocket free = new ServerSocket(chosen)) { // nothing was left listening on it
            assertThat(free.getLocalPort()).isEqualTo(chosen);
        }
        try (DroverDashboard withToken = DroverDashboard.builder(drover).bind("0.0.0.0").port(0).token("a-token-of-24-characters").start()) {
            assertThat(withToken.port()).isPositive();
        }
    }

    @Test
    void itListensOnLoopbackByDefault() {
        try (DroverDashboard d = DroverDashboard.start(drover, 0)) {
            assertThat(d.url().getHost()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        TaskId id = mails.push("never runs", TaskOptions.defaults().runAfter(Duration.ofHours(1)));
        try (DroverDashboard d = DroverDashboard.start(drover, 0)) {
            String path = "queues/mails/tasks/" + id + "/cancel";
            HttpResponse<String> noToken = post(d, path, "confirmed=yes", null);
            assertThat(noToken.statusCode()).isEqualTo(403);
            assertThat(noToken.body()).contains("no valid CSRF token");
            HttpResponse<String> wrongToken = post(d, path, "confirmed=yes&csrf=guessed", null);
            assertThat(wrongToken.statusCode()).isEqualTo(403);
            HttpResponse<String> api = post(d, "api/" + path, "", null);
            assertThat(api.statusCode()).isEqualTo(403);
            assertThat(api.body()).contains("\"error\"").contains("X-Drover-Csrf");
            assertThat(drover.admin().get("mails", id).orElseThrow().state()).isEqualTo(TaskState.PENDING);

            String csrf = csrf(get(d, "").body());
            HttpResponse<String> crossSite = post(d, path, "confirmed=yes&csrf=" + csrf, "http://evil.example");
            assertThat(crossSite.statusCode()).as("the right token from another origin").isEqualTo(403);
            assertThat(drover.admin().get("mails", id).orElseThrow().state()).isEqualTo(TaskState.PENDING);

            HttpResponse<String> unconfirmed = post(d, path, "csrf=" + csrf, null);
            assertThat(unconfirmed.statusCode()).as("the server asks before it acts").isEqualTo(200);
            assertThat(unconfirmed.body()).contains("Cancel this task?").contains("name=\"confirmed\" value=\"yes\"");
            assertThat(drover.admin().get("mails", id).orElseThrow().state()).isEqualTo(TaskState.PENDING);

            HttpResponse<String> done = post(d, path, "confirmed=yes&csrf=" + csrf, null);
            assertThat(done.statusCode()).isEqualTo(303);
            assertThat(done.headers().firstValue("Location").orElseThrow()).endsWith("?did=cancel");
            assertThat(drover.admin().get("mails", id).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
        }
    }

    @Test
    void readOnlyShowsNoActionAndRefusesEveryPost() throws Exception {
        TaskId id = mails.push("never runs", TaskOptions.defaults().runAfter(Duration.ofHours(1)));
        try (DroverDashboard d = DroverDashboard.builder(drover).port(0).readOnly(true).start()) {
            String page = get(d, "queues/mails/tasks/" + id).body();
            assertThat(page).contains("read-only").doesNotContain("method=\"post\"");
            HttpResponse<String> post = post(d, "queues/mails/tasks/" + id + "/cancel", "confirmed=yes&csrf=" + csrf(page), null);
            assertThat(post.statusCode()).isEqualTo(403);
            assertThat(post.body()).contains("read-only");
            assertThat(drover.admin().get("mails", id).orElseThrow().state()).isEqualTo(TaskState.PENDING);
        }
    }

    @Test
    void aPayloadOfMarkupIsShownAsText() throws Exception {
        TaskId id = mails.push("<script>alert('x')</script><img src=x onerror=alert(1)>", TaskOptions.defaults().runAfter(Duration.ofHours(1))
                .metadata("note", "<b>bold</b>"));
        try (DroverDashboard d = DroverDashboard.start(drover, 0)) {
            HttpResponse<String> page = get(d, "queues/mails/tasks/" + id);
            assertThat(page.body()).doesNotContain("<script>alert").doesNotContain("<img src=x").doesNotContain("<b>bold")
                    .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;")
                    .contains("&lt;b&gt;bold&lt;/b&gt;");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'").contains("frame-ancestors 'none'");
            assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
    }

    @Test
    void withoutACredentialOnlyLoopbackHostNamesAreAnswered() throws Exception {
        try (DroverDashboard d = DroverDashboard.start(drover, 0)) {
            // The JDK's client will not send a Host of its own choosing: a socket stands in for a browser whose
            // attacker.example now resolves to 127.0.0.1.
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", d.port())) {
                socket.getOutputStream().write(("GET /api/queues HTTP/1.1\r\nHost: attacker.example:" + d.port() + "\r\nConnection: close\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String status = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().findFirst().orElse("");
                assertThat(status).startsWith("HTTP/1.1 421");
            }
            assertThat(get(d, "api/queues").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aTokenIsNeededForPagesAndApiAndALoginFormGivesASession() throws Exception {
        String token = "s3cret-token-0123456789";
        try (DroverDashboard d = DroverDashboard.builder(drover).port(0).token(token).start()) {
            HttpResponse<String> page = get(d, "");
            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.headers().firstValue("Location")).hasValue("/login");
            HttpResponse<String> api = get(d, "api/queues");
            assertThat(api.statusCode()).isEqualTo(401);
            assertThat(api.body()).doesNotContain(token);

            HttpResponse<String> bearer = http.send(HttpRequest.newBuilder(d.url().resolve("api/queues")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bearer.statusCode()).isEqualTo(200);

            HttpResponse<String> wrong = post(d, "login", "token=not-the-token", null);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("not the token").doesNotContain(token);
            HttpResponse<String> login = post(d, "login", "token=" + token, null);
            assertThat(login.statusCode()).isEqualTo(303);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain(token);
            HttpResponse<String> withSession = http.send(HttpRequest.newBuilder(d.url()).header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(withSession.statusCode()).isEqualTo(200);
            assertThat(withSession.body()).contains("<h1>Queues</h1>");
        }
    }

    @Test
    void basicAuthAsksTheBrowserForUserAndPassword() throws Exception {
        try (DroverDashboard d = DroverDashboard.builder(drover).port(0).basicAuth("ops", "correct horse").start()) {
            HttpResponse<String> anonymous = get(d, "");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic realm=\"Drover\"");
            String good = "Basic " + Base64.getEncoder().encodeToString("ops:correct horse".getBytes());
            String bad = "Basic " + Base64.getEncoder().encodeToString("ops:wrong".getBytes());
            assertThat(http.send(HttpRequest.newBuilder(d.url()).header("Authorization", good).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(http.send(HttpRequest.newBuilder(d.url()).header("Authorization", bad).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void badInputIsA400ThatSaysWhatWasWrong() throws Exception {
        try (DroverDashboard d = DroverDashboard.start(drover, 0)) {
            HttpResponse<String> badQueue = get(d, "api/queues/Bad-Name/tasks");
            assertThat(badQueue.statusCode()).isEqualTo(400);
            assertThat(badQueue.body()).contains("invalid queue name");
            HttpResponse<String> badState = get(d, "queues/mails?state=sleeping");
            assertThat(badState.statusCode()).isEqualTo(400);
            assertThat(badState.body()).contains("unknown state &quot;sleeping&quot;");
            assertThat(get(d, "api/tasks/no-such-task").statusCode()).isEqualTo(404);
            assertThat(get(d, "no/such/page").statusCode()).isEqualTo(404);
        }
    }

    HttpResponse<String> get(DroverDashboard d, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(d.url().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(DroverDashboard d, String path, String form, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(d.url().resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) b.header("Origin", origin);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String csrf(String page) {
        Matcher m = Pattern.compile("name=\"drover-csrf\" content=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as("the page carries its CSRF token").isTrue();
        return m.group(1);
    }
}
