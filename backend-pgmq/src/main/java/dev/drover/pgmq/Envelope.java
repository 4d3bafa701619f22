package dev.drover.pgmq;

import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.codec.JsonCodec;
import dev.drover.spi.NewTask;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a Drover task is written as a PGMQ message and read back. The payload goes to {@code message}: a JSON
 * payload as JSON (so other PGMQ clients can read it; {@code jsonb} keeps its meaning, not its spacing or key
 * order), anything else as a base64 JSON string, flagged {@code "drover-encoding": "base64"}, so no byte is lost.
 * Drover's fields go to {@code headers} under {@code drover-*} keys, clear of PGMQ's reserved {@code x-pgmq-*}.
 * A message another client sent, without those keys, reads as a JSON task with defaults: id {@code pgmq-<msg_id>},
 * priority 0, due when sent.
 */
final class Envelope {
    static final String ID = "drover-id";
    static final String CODEC = "drover-codec";
    static final String ENCODING = "drover-encoding";
    static final String PRIORITY = "drover-priority";
    static final String MAX_ATTEMPTS = "drover-max-attempts";
    static final String RUN_AT = "drover-run-at";
    static final String METADATA = "drover-metadata";
    static final String SETTLED = "drover-settled";
    static final String RELEASED = "drover-released";
    static final String OWNER = "drover-owner";
    static final String STARTED_AT = "drover-started-at";
    static final String ERROR = "drover-error";
    static final String RESULT = "drover-result";
    static final String OUTCOME = "drover-outcome";
    static final String FINISHED_AT = "drover-finished-at";
    static final String ATTEMPT = "drover-attempt";
    static final String ENQUEUED_AT = "drover-enqueued-at";
    static final String BASE64 = "base64";
    /** The id prefix of messages without a Drover id: {@code pgmq-<msg_id>}. */
    static final String FOREIGN_ID_PREFIX = "pgmq-";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final int defaultMaxAttempts;
    private final boolean jsonAsJsonb;

    /**
     * @param jsonAsJsonb false on a database whose encoding is not UTF-8: there every payload is stored as base64,
     *                    because {@code jsonb} could not hold all of Unicode
     */
    Envelope(int defaultMaxAttempts, boolean jsonAsJsonb) {
        this.defaultMaxAttempts = defaultMaxAttempts;
        this.jsonAsJsonb = jsonAsJsonb;
    }

    /** One message to send: its due time, the {@code message} text, whether that text is base64, the headers. */
    record Message(long runAtMillis, String body, boolean base64, String headers) {
    }

    Message encode(NewTask task) {
        boolean asJson = jsonAsJsonb && JsonCodec.NAME.equals(task.codec()) && fitsJsonb(task.payload());
        String body = asJson ? new String(task.payload(), StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(task.payload());
        long runAt = task.runAt().toEpochMilli();
        // Written by hand rather than through a JsonNode: the keys are fixed, and building and serialising a tree for
        // every pushed task cost more than the rest of the push on the client.
        StringBuilder h = new StringBuilder(160);
        h.append("{\"" + ID + "\":");
        jsonString(h, task.id().value());
        h.append(",\"" + CODEC + "\":");
        jsonString(h, task.codec());
        if (!asJson) h.append(",\"" + ENCODING + "\":\"" + BASE64 + "\"");
        h.append(",\"" + PRIORITY + "\":").append(task.priority());
        h.append(",\"" + MAX_ATTEMPTS + "\":").append(task.maxAttempts());
        h.append(",\"" + RUN_AT + "\":").append(runAt);
        if (!task.metadata().isEmpty()) {
            h.append(",\"" + METADATA + "\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : task.metadata().entrySet()) {
                if (!first) h.append(',');
                first = false;
                jsonString(h, e.getKey());
                h.append(':');
                jsonString(h, e.getValue());
            }
            h.append('}');
        }
        h.append('}');
        return new Message(runAt, body, !asJson, h.toString());
    }

    /** Appends {@code s} as a JSON string, escaped as Jackson escapes it: quote, backslash and control characters. */
    static void jsonString(StringBuilder out, String s) {
        out.append('"');
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            out.append(s, start, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
            start = i + 1;
        }
        out.append(s, start, s.length()).append('"');
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * True when {@code payload} is JSON that {@code jsonb} stores without loss: valid UTF-8 JSON with no {@code \u0000}
     * and no lone surrogate in any string (PostgreSQL refuses both).
     */
    static boolean fitsJsonb(byte[] payload) {
        if (payload.length == 0) return false;
        // In ASCII without a backslash there is no escape (of NUL, of a lone surrogate) and no byte sequence that could
        // decode to text jsonb refuses: checking that the payload parses is enough, without reading out every string.
        boolean checkText = false;
        for (byte b : payload) {
            if (b == '\\' || b < 0) {
                checkText = true;
                break;
            }
        }
        try (JsonParser p = MAPPER.createParser(payload)) {
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                if (checkText && (token == JsonToken.VALUE_STRING || token == JsonToken.PROPERTY_NAME)) {
                    if (!storableText(p.getString())) return false;
                }
            }
            return true;
        } catch (JacksonException e) {
            return false;
        }
    }

    private static boolean storableText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) return false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static String resultText(byte[] result) {
        return result == null ? null : Base64.getEncoder().encodeToString(result);
    }

    /** A row as {@link QueueSql} projects it, read back into a task. */
    record Row(String source, long msgId, int readCt, long enqueuedMs, long vtMs, Long archivedMs, String body, String headers) {
    }

    TaskRecord decode(QueueName queue, Row row) {
        JsonNode h = row.headers() == null ? MAPPER.createObjectNode() : MAPPER.readTree(row.headers());
        if (!h.isObject()) h = MAPPER.createObjectNode();
        TaskId id = TaskId.of(text(h, ID, FOREIGN_ID_PREFIX + row.msgId()));
        boolean base64 = BASE64.equals(text(h, ENCODING, null));
        String body = row.body() == null ? "" : row.body();
        byte[] payload = base64 ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        int settled = integer(h, SETTLED, 0);
        int released = integer(h, RELEASED, 0);
        TaskState state;
        int attempt;
        switch (row.source()) {
            case "q" -> {
                state = row.readCt() > settled ? TaskState.RUNNING : TaskState.PENDING;
                attempt = row.readCt() - released;
            }
            case "a" -> {
                state = "cancelled".equals(text(h, OUTCOME, null)) ? TaskState.CANCELLED : TaskState.DONE;
                attempt = row.readCt() - released;
            }
            default -> {
                state = TaskState.DEAD;
                attempt = integer(h, ATTEMPT, row.readCt());
            }
        }
        long runAt = h.has(RUN_AT) ? h.get(RUN_AT).asLong() : ("q".equals(row.source()) && row.readCt() == 0 ? row.vtMs() : row.enqueuedMs());
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = h.get(METADATA);
        if (meta != null && meta.isObject()) {
            for (Map.Entry<String, JsonNode> e : meta.properties()) {
                metadata.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString());
            }
        }
        String result = text(h, RESULT, null);
        Long finished = h.has(FINISHED_AT) ? Long.valueOf(h.get(FINISHED_AT).asLong()) : row.archivedMs();
        Long started = h.has(STARTED_AT) ? Long.valueOf(h.get(STARTED_AT).asLong()) : null;
        return new TaskRecord(id, queue, state, integer(h, PRIORITY, 0), Instant.ofEpochMilli(runAt), attempt,
                integer(h, MAX_ATTEMPTS, defaultMaxAttempts), payload, text(h, CODEC, JsonCodec.NAME), metadata,
                text(h, ERROR, null), result == null ? null : Base64.getDecoder().decode(result), text(h, OWNER, null),
                state == TaskState.RUNNING ? Instant.ofEpochMilli(row.vtMs()) : null,
                Instant.ofEpochMilli(h.has(ENQUEUED_AT) ? h.get(ENQUEUED_AT).asLong() : row.enqueuedMs()),
                started == null ? null : Instant.ofEpochMilli(started),
                finished == null ? null : Instant.ofEpochMilli(finished));
    }

    private static String text(JsonNode h, String key, String otherwise) {
        JsonNode v = h.get(key);
        if (v == null || v.isNull()) return otherwise;
        return v.isString() ? v.asString() : v.toString();
    }

    private static int integer(JsonNode h, String key, int otherwise) {
        JsonNode v = h.get(key);
        return v == null || !v.isNumber() ? otherwise : v.asInt();
    }
}
