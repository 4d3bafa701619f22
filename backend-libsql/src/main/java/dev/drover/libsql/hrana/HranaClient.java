package dev.drover.libsql.hrana;

import dev.drover.api.StorageException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A Hrana-over-HTTP client: {@code POST /v2/pipeline} with JSON bodies, on {@code java.net.http} and Jackson.
 * Every call is one pipeline on a new stream, so nothing depends on batons or on interactive transactions: a job
 * operation is one {@link #batch batch} whose steps are guarded by conditions ({@link Batch}).
 *
 * <p>Two server dialects, told apart once at startup ({@link Dialect#detect}): libsql-server and Turso Cloud
 * (streams are closed with a {@code close} request), and {@code tursodb --sync-server}, which accepts only
 * {@code execute} and {@code batch} and fails a whole pipeline that holds anything else. Integers travel as decimal
 * strings, blobs as base64. The bearer token goes in the {@code Authorization} header only; it is never logged,
 * never put in an exception message, never in {@link #toString()}.
 */
public final class HranaClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI pipeline;
    private final String where;
    private final String token;
    private final Duration timeout;
    private volatile Dialect dialect = Dialect.TURSODB;

    /**
     * @param base    {@code http(s)://host:port}
     * @param where   how to name the server in messages (no token)
     * @param token   bearer token, or null
     */
    public HranaClient(URI base, String where, String token, Duration timeout) {
        this.pipeline = base.resolve("/v2/pipeline");
        this.where = Objects.requireNonNull(where, "where");
        this.token = token == null || token.isBlank() ? null : token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** Which server this is, found by probing: call once before use. */
    public Dialect detectDialect() {
        dialect = Dialect.detect(http, pipeline.resolve("/"), timeout, this::authorize);
        // A first real request: reachability and the token are checked here, at open, with a clear message.
        execute(new HranaStatement("SELECT 1", List.of()));
        return dialect;
    }

    public Dialect dialect() {
        return dialect;
    }

    public String where() {
        return where;
    }

    /** Runs one statement on its own stream. */
    public HranaResult execute(HranaStatement statement) {
        ObjectNode request = JSON.createObjectNode();
        request.put("type", "execute");
        request.set("stmt", statement.toJson(JSON));
        JsonNode response = pipeline(List.of(request)).getFirst();
        return HranaResult.of(response.path("result"));
    }

    /** Runs a batch on its own stream; step failures are reported in the result, not thrown. */
    public BatchResult batch(Batch batch) {
        ObjectNode request = JSON.createObjectNode();
        request.put("type", "batch");
        request.set("batch", batch.toJson(JSON));
        JsonNode response = pipeline(List.of(request)).getFirst();
        return BatchResult.of(response.path("result"), batch.size());
    }

    /** Sends the requests (plus {@code close} where the dialect has it) and returns each request's {@code response}. */
    private List<JsonNode> pipeline(List<ObjectNode> requests) {
        ObjectNode body = JSON.createObjectNode();
        body.putNull("baton");
        ArrayNode list = body.putArray("requests");
        requests.forEach(list::add);
        if (dialect.closesStreams()) list.addObject().put("type", "close");
        byte[] bytes = JSON.writeValueAsBytes(body);
        HttpRequest.Builder builder = HttpRequest.newBuilder(pipeline)
                .timeout(timeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        authorize(builder);
        HttpResponse<byte[]> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new StorageException(where + " did not answer within " + timeout.toMillis() + " ms; will try again", true, e);
        } catch (ConnectException e) {
            throw new StorageException(where + " refused the connection (is the server running and the URL right?)", true, e);
        } catch (IOException e) {
            throw new StorageException(where + " could not be reached: " + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for " + where, true, e);
        }
        int status = response.statusCode();
        if (status != 200) throw HranaErrors.httpFailure(where, status, response.body());
        JsonNode root;
        try {
            root = JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new StorageException(where + " answered with something that is not Hrana JSON: " + HranaErrors.snippet(response.body()), true, e);
        }
        JsonNode results = root.path("results");
        List<JsonNode> out = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            JsonNode result = results.path(i);
            if (!"ok".equals(result.path("type").asString(""))) {
                throw HranaErrors.requestFailure(where, result.path("error"));
            }
            out.add(result.path("response"));
        }
        return out;
    }

    private void authorize(HttpRequest.Builder builder) {
        if (token != null) builder.header("Authorization", "Bearer " + token);
    }

    @Override
    public String toString() {
        return "HranaClient[" + where + (token == null ? "" : ", with a token") + ", " + dialect + "]";
    }

    /** A value for a statement argument, as Hrana's JSON carries it. */
    static ObjectNode value(JsonMapper json, Object arg) {
        ObjectNode v = json.createObjectNode();
        switch (arg) {
            case null -> v.put("type", "null");
            case Long l -> v.put("type", "integer").put("value", Long.toString(l));
            case Integer i -> v.put("type", "integer").put("value", Integer.toString(i));
            case String s -> v.put("type", "text").put("value", s);
            case byte[] b -> v.put("type", "blob").put("base64", Base64.getEncoder().encodeToString(b));
            case Double d -> v.put("type", "float").put("value", d);
            default -> throw new IllegalArgumentException("a Hrana argument is a Long, Integer, String, byte[], Double or null, not a "
                    + arg.getClass().getName());
        }
        return v;
    }

    /** A Hrana value read back: Long, Double, String, byte[] or null. */
    static Object value(JsonNode v) {
        String type = v.path("type").asString("null");
        return switch (type) {
            case "null" -> null;
            case "integer" -> Long.parseLong(v.path("value").asString());
            case "float" -> v.path("value").asDouble();
            case "text" -> v.path("value").asString();
            case "blob" -> Base64.getDecoder().decode(v.path("base64").asString(""));
            default -> throw new IllegalStateException("unknown Hrana value type \"" + type + "\"");
        };
    }
}
