package dev.drover.libsql.replica;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import dev.drover.libsql.TursoTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Turso primary for the replica tests: {@code tursodb --sync-server} on a fresh file, started by the module's
 * {@link TursoTestServer}, and
 * a tiny Hrana client ({@code POST /v2/pipeline}, JSON, integers as decimal strings) to write and read it.
 */
final class TursoPrimary implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final TursoTestServer server;

    private TursoPrimary(TursoTestServer server) {
        this.server = server;
    }

    /** A new server on {@code database} (a file that must not exist yet), on a free loopback port. */
    static TursoPrimary start(Path database) {
        return new TursoPrimary(TursoTestServer.start(database));
    }

    /** {@code http://127.0.0.1:<port>}. */
    String url() {
        return server.httpUrl();
    }

    Path database() {
        return server.database();
    }

    void stop() {
        server.stop();
    }

    /** Starts the server again on the same file and port. */
    void restart() {
        server.restart();
    }

    @Override
    public void close() {
        server.close();
    }

    // ---- Hrana over HTTP ----

    /** Runs one statement in its own transaction. */
    void execute(String sql, Object... args) {
        pipeline(List.of(statement(sql, args)));
    }

    /** Runs the statements in ONE transaction ({@code BEGIN} ... {@code COMMIT} in one pipeline). */
    void transaction(List<Object[]> statements) {
        List<ObjectNode> requests = new ArrayList<>();
        requests.add(statement("BEGIN"));
        for (Object[] s : statements) {
            Object[] args = new Object[s.length - 1];
            System.arraycopy(s, 1, args, 0, args.length);
            requests.add(statement((String) s[0], args));
        }
        requests.add(statement("COMMIT"));
        pipeline(requests);
    }

    /** The rows of a query, as column-to-value maps: Long, Double, String, byte[] or null. */
    List<Map<String, Object>> query(String sql, Object... args) {
        JsonNode result = pipeline(List.of(statement(sql, args))).get(0);
        List<String> columns = new ArrayList<>();
        for (JsonNode col : result.path("cols")) columns.add(col.path("name").asString());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode row : result.path("rows")) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) values.put(columns.get(i), decode(row.get(i)));
            rows.add(values);
        }
        return rows;
    }

    private static ObjectNode statement(String sql, Object... args) {
        ObjectNode request = JSON.createObjectNode();
        request.put("type", "execute");
        ObjectNode stmt = request.putObject("stmt");
        stmt.put("sql", sql);
        ArrayNode list = stmt.putArray("args");
        for (Object arg : args) list.add(encode(arg));
        return request;
    }

    private static ObjectNode encode(Object value) {
        ObjectNode node = JSON.createObjectNode();
        switch (value) {
            case null -> node.put("type", "null");
            case Long l -> node.put("type", "integer").put("value", Long.toString(l));
            case Integer i -> node.put("type", "integer").put("value", Integer.toString(i));
            case Double d -> node.put("type", "float").put("value", d);
            case String s -> node.put("type", "text").put("value", s);
            case byte[] b -> node.put("type", "blob").put("base64", Base64.getEncoder().encodeToString(b));
            default -> throw new IllegalArgumentException("cannot send a " + value.getClass());
        }
        return node;
    }

    private static Object decode(JsonNode value) {
        return switch (value.path("type").asString()) {
            case "null" -> null;
            case "integer" -> Long.parseLong(value.path("value").asString());
            case "float" -> value.path("value").asDouble();
            case "text" -> value.path("value").asString();
            case "blob" -> Base64.getDecoder().decode(value.path("base64").asString());
            default -> throw new IllegalStateException("unknown Hrana value " + value);
        };
    }

    /** Sends the requests in one pipeline; fails unless every one succeeded. Returns each request's result. */
    private List<JsonNode> pipeline(List<ObjectNode> requests) {
        ObjectNode body = JSON.createObjectNode();
        body.putNull("baton");
        ArrayNode list = body.putArray("requests");
        requests.forEach(list::add);
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/v2/pipeline"))
                    .timeout(Duration.ofSeconds(60))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the primary answered HTTP " + response.statusCode() + ": " + response.body());
            }
            JsonNode results = JSON.readTree(response.body()).path("results");
            List<JsonNode> out = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                JsonNode result = results.get(i);
                if (!"ok".equals(result.path("type").asString())) {
                    throw new IllegalStateException("statement " + i + " failed on the primary: " + result.path("error"));
                }
                out.add(result.path("response").path("result"));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the primary at " + url() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Values in a form whose equals compares content: blobs become "blob:<hex>", integers Long. */
    static List<List<Object>> canonical(List<Map<String, Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            List<Object> values = new ArrayList<>();
            for (Object v : row.values()) values.add(canonicalValue(v));
            out.add(values);
        }
        return out;
    }

    static Object canonicalValue(Object v) {
        if (v instanceof byte[] b) return "blob:" + HexFormat.of().formatHex(b);
        if (v instanceof Integer i) return i.longValue();
        return v;
    }

    @Override
    public String toString() {
        return "TursoPrimary[" + url() + "]";
    }
}
