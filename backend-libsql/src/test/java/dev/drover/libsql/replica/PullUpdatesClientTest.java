package dev.drover.libsql.replica;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.drover.api.ConfigurationException;
import dev.drover.api.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pull client: the request it sends, what it accepts from a real tursodb, and how it refuses everything else.
 * Answers tursodb never gives (401, 429, zstd, MVCC, bad pages) come from a scripted endpoint on the JDK's HTTP
 * server, which also shows what the client sends.
 */
class PullUpdatesClientTest {
    private static final String TOKEN = "secret-token-123";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private HttpServer stub;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    @AfterEach
    void stopStub() {
        if (stub != null) stub.stop(0);
    }

    @Test
    @DisplayName("the request asks for raw pages since the client's revision, in canonical proto3")
    void requestEncoding() {
        assertThat(PullUpdatesClient.encodeRequest("")).isEmpty(); // raw (0), newest revision, from nothing: all defaults
        assertThat(PullUpdatesClient.encodeRequest("42")).isEqualTo(HexFormat.of().parseHex("1a023432")); // field 3 = "42"
    }

    @Test
    @DisplayName("against tursodb: a bootstrap pull brings every page, 0-based, page 0 a SQLite header; a repeat brings none")
    void pullFromTursodb() {
        try (TursoPrimary primary = TursoPrimary.start(dir.resolve("primary.db"));
             PullUpdatesClient client = new PullUpdatesClient(primary.url(), TOKEN, TIMEOUT, TIMEOUT)) {
            primary.execute("CREATE TABLE t (v TEXT)");
            primary.execute("INSERT INTO t VALUES ('x')");
            List<Long> ids = new ArrayList<>();
            byte[][] first = new byte[1][];
            PullUpdatesClient.Header header = client.pull("", (id, page) -> {
                ids.add(id);
                if (id == 0) first[0] = page;
            });
            assertThat(header.dbSizePages()).isPositive();
            assertThat(ids).containsExactlyInAnyOrderElementsOf(range(header.dbSizePages()));
            assertThat(new String(first[0], 0, 15, StandardCharsets.US_ASCII)).isEqualTo("SQLite format 3");
            assertThat(header.serverRevision()).matches("\\d+");

            List<Long> again = new ArrayList<>();
            PullUpdatesClient.Header same = client.pull(header.serverRevision(), (id, page) -> again.add(id));
            assertThat(again).isEmpty();
            assertThat(same).isEqualTo(header);

            primary.execute("INSERT INTO t VALUES ('y')");
            List<Long> changed = new ArrayList<>();
            PullUpdatesClient.Header next = client.pull(header.serverRevision(), (id, page) -> changed.add(id));
            assertThat(changed).isNotEmpty().allMatch(id -> id < next.dbSizePages());
            assertThat(Long.parseLong(next.serverRevision())).isGreaterThan(Long.parseLong(header.serverRevision()));
        }
    }

    @Test
    @DisplayName("sends POST /pull-updates with a Content-Length protobuf body and the bearer token")
    void whatIsSent() {
        String url = stub(exchange -> answer(exchange, 200, responseOf(header("7", 1), page(0, sqlitePage()))));
        try (PullUpdatesClient client = new PullUpdatesClient(url + "/base/", TOKEN, TIMEOUT, TIMEOUT)) {
            PullUpdatesClient.Header header = client.pull("5", (id, page) -> { });
            assertThat(header).isEqualTo(new PullUpdatesClient.Header("7", 1));
        }
        assertThat(seen).containsEntry("method", "POST").containsEntry("path", "/base/pull-updates")
                .containsEntry("authorization", "Bearer " + TOKEN)
                .containsEntry("content-type", "application/protobuf")
                .containsEntry("content-length", "3")
                .containsEntry("body", "1a0135");
    }

    @Test
    @DisplayName("401 and 403 say authentication failed and never echo the token")
    void authenticationFailures() {
        for (int status : new int[]{401, 403}) {
            String url = stub(exchange -> answer(exchange, status, ("{\"error\":\"bad token " + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8)));
            try (PullUpdatesClient client = new PullUpdatesClient(url, TOKEN, TIMEOUT, TIMEOUT)) {
                assertThatThrownBy(() -> client.pull("", (id, page) -> { }))
                        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isFalse())
                        .hasMessageContaining("authentication failed: check the token")
                        .hasMessageContaining("HTTP " + status)
                        .hasMessageContaining(url)
                        .message().doesNotContain(TOKEN);
            }
            stub.stop(0);
        }
    }

    @Test
    @DisplayName("429 and 5xx are transient, other statuses are not; bodies are shown without the token")
    void httpStatuses() {
        record Case(int status, boolean transientFailure) {
        }
        for (Case c : List.of(new Case(429, true), new Case(500, true), new Case(503, true), new Case(404, false), new Case(400, false))) {
            String url = stub(exchange -> answer(exchange, c.status(), ("overloaded; you sent " + TOKEN).getBytes(StandardCharsets.UTF_8)));
            try (PullUpdatesClient client = new PullUpdatesClient(url, TOKEN, TIMEOUT, TIMEOUT)) {
                assertThatThrownBy(() -> client.pull("", (id, page) -> { }))
                        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isEqualTo(c.transientFailure()))
                        .hasMessageContaining("HTTP " + c.status())
                        .hasMessageContaining(url)
                        .hasMessageContaining("overloaded; you sent [token]")
                        .message().doesNotContain(TOKEN);
            }
            stub.stop(0);
        }
    }

    @Test
    @DisplayName("an unreachable server is a transient failure naming the server")
    void unreachable() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        try (PullUpdatesClient client = new PullUpdatesClient(url, TOKEN, TIMEOUT, TIMEOUT)) {
            assertThatThrownBy(() -> client.pull("", (id, page) -> { }))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isTrue())
                    .hasMessageContaining("cannot pull updates from the sync server " + url)
                    .message().doesNotContain(TOKEN);
        }
    }

    @Test
    @DisplayName("answers this client cannot apply are refused before any page is handed over")
    void refusals() {
        record Case(String why, byte[] body, String message) {
        }
        byte[] page = sqlitePage();
        List<Case> cases = List.of(
                new Case("zstd", responseOf(new Protobuf.Writer().stringIfNotEmpty(1, "3").varint(2, 1)
                        .bytes(4, new Protobuf.Writer().varint(1, 3).toByteArray()).toByteArray(), page(0, page)), "zstd"),
                new Case("no raw encoding", responseOf(new Protobuf.Writer().stringIfNotEmpty(1, "3").varint(2, 1).toByteArray(),
                        page(0, page)), "raw"),
                new Case("MVCC stream kind", responseOf(withRaw(new Protobuf.Writer().varint(5, 1)), page(0, page)), "MVCC"),
                new Case("replace-base apply mode", responseOf(withRaw(new Protobuf.Writer().varint(6, 1)), page(0, page)), "replace the base"),
                new Case("MVCC log metadata", responseOf(withRaw(new Protobuf.Writer().bytes(7, new byte[0])), page(0, page)), "MVCC"),
                new Case("MVCC protocol", responseOf(withRaw(new Protobuf.Writer().varint(8, 2)), page(0, page)), "MVCC"),
                new Case("short page", responseOf(header("3", 1), page(0, new byte[100])), "100 bytes"),
                new Case("page beyond the size", responseOf(header("3", 1), page(0, page), page(1, page)), "beyond its own database size"),
                new Case("not protobuf", HexFormat.of().parseHex("02ffff"), "cannot read"),
                new Case("HTML", "<html>hello</html>".getBytes(StandardCharsets.US_ASCII), "text/html"));
        for (Case c : cases) {
            String url = stub(exchange -> {
                if (c.why().equals("HTML")) exchange.getResponseHeaders().set("content-type", "text/html");
                answer(exchange, 200, c.body());
            });
            List<Long> handedOver = new ArrayList<>();
            try (PullUpdatesClient client = new PullUpdatesClient(url, null, TIMEOUT, TIMEOUT)) {
                assertThatThrownBy(() -> client.pull("", (id, p) -> handedOver.add(id)))
                        .as(c.why())
                        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isFalse())
                        .hasMessageContaining(c.message())
                        .hasMessageContaining(url);
            }
            if (!c.why().equals("page beyond the size")) assertThat(handedOver).as(c.why()).isEmpty();
            else assertThat(handedOver).as("the valid page before the bad one").containsExactly(0L);
            stub.stop(0);
        }
    }

    @Test
    @DisplayName("unknown header and page fields are skipped")
    void unknownFieldsSkipped() {
        byte[] header = withRaw(new Protobuf.Writer().stringIfNotEmpty(1, "9").varint(2, 1).varint(40, 7).bytes(41, new byte[]{1, 2}));
        byte[] page = new Protobuf.Writer().varint(1, 0).bytes(2, sqlitePage()).varint(9, 1).toByteArray();
        String url = stub(exchange -> answer(exchange, 200, responseOf(header, page)));
        List<Long> ids = new ArrayList<>();
        try (PullUpdatesClient client = new PullUpdatesClient(url, null, TIMEOUT, TIMEOUT)) {
            assertThat(client.pull("", (id, p) -> ids.add(id))).isEqualTo(new PullUpdatesClient.Header("9", 1));
        }
        assertThat(ids).containsExactly(0L);
    }

    @Test
    @DisplayName("a connection cut inside a page message is a transient failure")
    void cutConnection() {
        byte[] whole = responseOf(header("3", 2), page(0, sqlitePage()), page(1, sqlitePage()));
        byte[] cut = Arrays.copyOf(whole, whole.length - 2000);
        String url = stub(exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: the body simply ends early
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(cut);
            }
        });
        try (PullUpdatesClient client = new PullUpdatesClient(url, TOKEN, TIMEOUT, TIMEOUT)) {
            assertThatThrownBy(() -> client.pull("", (id, p) -> { }))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isTrue())
                    .hasMessageContaining("broke while reading")
                    .message().doesNotContain(TOKEN);
        }
    }

    @Test
    @DisplayName("the base URL may not carry credentials or a query, and the message does not repeat them")
    void baseUrlChecks() {
        assertThat(PullUpdatesClient.checkBaseUrl("http://127.0.0.1:8080/")).hasToString("http://127.0.0.1:8080");
        assertThat(PullUpdatesClient.checkBaseUrl("HTTPS://db.example.com/prefix//")).hasToString("https://db.example.com/prefix");
        assertThatThrownBy(() -> PullUpdatesClient.checkBaseUrl("http://user:" + TOKEN + "@example.com"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("pass the token separately")
                .message().doesNotContain(TOKEN);
        assertThatThrownBy(() -> PullUpdatesClient.checkBaseUrl("https://example.com/?authToken=" + TOKEN))
                .isInstanceOf(ConfigurationException.class).message().doesNotContain(TOKEN);
        assertThatThrownBy(() -> PullUpdatesClient.checkBaseUrl("libsql://example.com"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> new PullUpdatesClient("http://example.com", "secret\ntoken", TIMEOUT, TIMEOUT))
                .isInstanceOf(ConfigurationException.class).message().doesNotContain("secret");
        try (PullUpdatesClient client = new PullUpdatesClient("http://example.com", TOKEN, TIMEOUT, TIMEOUT)) {
            assertThat(client.toString()).contains("http://example.com/pull-updates").doesNotContain(TOKEN);
        }
    }

    // ---- scripted endpoint ----

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private String stub(Handler handler) {
        try {
            stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        stub.createContext("/", exchange -> {
            try (exchange) {
                seen.put("method", exchange.getRequestMethod());
                seen.put("path", exchange.getRequestURI().getPath());
                remember("authorization", exchange);
                remember("content-type", exchange);
                remember("content-length", exchange);
                seen.put("body", HexFormat.of().formatHex(exchange.getRequestBody().readAllBytes()));
                handler.handle(exchange);
            }
        });
        stub.start();
        return "http://127.0.0.1:" + stub.getAddress().getPort();
    }

    private void remember(String header, HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst(header);
        if (value != null) seen.put(header, value);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static byte[] header(String revision, long dbSize) {
        return withRaw(new Protobuf.Writer().stringIfNotEmpty(1, revision).varint(2, dbSize));
    }

    private static byte[] withRaw(Protobuf.Writer writer) {
        return writer.bytes(3, new byte[0]).toByteArray();
    }

    static byte[] page(long id, byte[] bytes) {
        return new Protobuf.Writer().varintIfNonZero(1, id).bytes(2, bytes).toByteArray();
    }

    static byte[] responseOf(byte[]... messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            Protobuf.writeVarint(out, m.length);
            out.writeBytes(m);
        }
        return out.toByteArray();
    }

    /** Page 1 of an empty SQLite database with 4096-byte pages. */
    static byte[] sqlitePage() {
        byte[] page = new byte[ShadowStore.PAGE_SIZE];
        byte[] magic = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, page, 0, magic.length);
        page[16] = 0x10;
        page[17] = 0x00;
        page[18] = 2;
        page[19] = 2;
        page[20] = 0;
        page[21] = 64;
        page[22] = 32;
        page[23] = 32;
        page[27] = 1; // change counter
        page[31] = 1; // size in pages
        page[47] = 4; // schema format
        page[56 + 3] = 1; // UTF-8
        page[100] = 0x0D; // empty table leaf b-tree page: sqlite_schema
        page[105] = 0x10; // cell content area starts at 4096
        page[106] = 0x00;
        return page;
    }

    private static List<Long> range(long n) {
        List<Long> ids = new ArrayList<>();
        for (long i = 0; i < n; i++) ids.add(i);
        return ids;
    }
}
