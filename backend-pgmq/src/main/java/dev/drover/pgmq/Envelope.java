package dev.drover.pgmq;

import dev.drover.api.AttemptError;
import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.codec.JsonCodec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** The failed attempts, oldest first: a JSON array of {attempt, at, worker, error} (see {@link QueueSql}). */
    static final String ATTEMPTS = "drover-attempts";
    static final String BASE64 = "base64";
    /** The id prefix of messages without a Drover id: {@code pgmq-<msg_id>}. */
    static final String FOREIGN_ID_PREFIX = "pgmq-";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /**
     * Reads headers with numbers exact (a float as a BigDecimal, so {@code 1.0} and {@code 1.5} read as PostgreSQL
     * reads them) and of any length PostgreSQL's {@code numeric} stores: other clients write headers too.
     */
    private static final JsonMapper HEADERS = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE).build()).build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

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
        // Streamed rather than built as a JsonNode: the keys are fixed, and building and serialising a tree for every
        // pushed task cost more than the rest of the push on the client. Jackson's generator escapes the strings.
        StringWriter headers = new StringWriter(160);
        try (JsonGenerator h = MAPPER.createGenerator(headers)) {
            h.writeStartObject();
            h.writeStringProperty(ID, task.id().value());
            h.writeStringProperty(CODEC, task.codec());
            if (!asJson) h.writeStringProperty(ENCODING, BASE64);
            h.writeNumberProperty(PRIORITY, task.priority());
            h.writeNumberProperty(MAX_ATTEMPTS, task.maxAttempts());
            h.writeNumberProperty(RUN_AT, runAt);
            if (!task.metadata().isEmpty()) {
                h.writeName(METADATA);
                h.writeStartObject();
                for (Map.Entry<String, String> e : task.metadata().entrySet()) h.writeStringProperty(e.getKey(), e.getValue());
                h.writeEndObject();
            }
            h.writeEndObject();
        }
        return new Message(runAt, body, !asJson, headers.toString());
    }

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

    /**
     * A message read back: the task, and why it cannot be run ({@code null} when it can). Reading never fails:
     * other PGMQ clients write messages and headers too, so a header of the wrong type or range reads as absent, by
     * the rule {@link QueueSql} applies in SQL; only a payload Drover cannot recover (an unknown or broken
     * {@code drover-encoding}, unreadable headers) makes the message unrunnable, and a claim sends it to the
     * dead-letter queue with that reason instead of handing it to a worker.
     */
    record Read(TaskRecord task, String unrunnable) {
    }

    Read read(QueueName queue, Row row) {
        JsonNode h;
        String unrunnable = null;
        try {
            h = row.headers() == null ? HEADERS.createObjectNode() : HEADERS.readTree(row.headers());
        } catch (JacksonException e) {
            h = HEADERS.createObjectNode();
            unrunnable = "its headers cannot be read (" + e.getOriginalMessage() + ")";
        }
        if (!h.isObject()) h = HEADERS.createObjectNode(); // PGMQ lets a client send any JSON there; none of it is Drover's
        String idText = string(h, ID);
        TaskId id = TaskId.of(idText == null || idText.isBlank() ? FOREIGN_ID_PREFIX + row.msgId() : idText);
        String body = row.body() == null ? "" : row.body();
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        JsonNode encoding = h.get(ENCODING);
        if (encoding != null && !encoding.isNull()) {
            if (!encoding.isString() || !BASE64.equals(encoding.asString())) {
                if (unrunnable == null) unrunnable = "header " + ENCODING + " is " + shown(encoding) + ", an encoding Drover does not know "
                        + "(it writes only \"" + BASE64 + "\"), so its payload cannot be read";
            } else {
                try {
                    payload = Base64.getDecoder().decode(body);
                } catch (IllegalArgumentException e) {
                    if (unrunnable == null) unrunnable = "header " + ENCODING + " is \"" + BASE64 + "\" but the message is not base64 text ("
                            + e.getMessage() + ")";
                }
            }
        }
        int settled = whole(h, SETTLED, 0, row.readCt(), 0);
        int released = whole(h, RELEASED, 0, row.readCt(), 0);
        TaskState state;
        int attempt;
        switch (row.source()) {
            case "q" -> {
                state = row.readCt() > settled ? TaskState.RUNNING : TaskState.PENDING;
                attempt = row.readCt() - released;
            }
            case "a" -> {
                state = "cancelled".equals(string(h, OUTCOME)) ? TaskState.CANCELLED : TaskState.DONE;
                attempt = row.readCt() - released;
            }
            default -> {
                state = TaskState.DEAD;
                attempt = whole(h, ATTEMPT, 0, Integer.MAX_VALUE, row.readCt());
            }
        }
        Long runAt = epochMillis(h, RUN_AT);
        if (runAt == null) runAt = "q".equals(row.source()) && row.readCt() == 0 ? row.vtMs() : row.enqueuedMs();
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = h.get(METADATA);
        if (meta != null && meta.isObject()) {
            for (Map.Entry<String, JsonNode> e : meta.properties()) {
                metadata.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString());
            }
        }
        byte[] result = null;
        String resultText = string(h, RESULT);
        if (resultText != null) {
            try {
                result = Base64.getDecoder().decode(resultText);
            } catch (IllegalArgumentException e) {
                result = null; // not Drover's: a result is only ever written by Drover's completion
            }
        }
        Long finished = epochMillis(h, FINISHED_AT);
        if (finished == null) finished = row.archivedMs();
        Long started = epochMillis(h, STARTED_AT);
        Long enqueued = epochMillis(h, ENQUEUED_AT);
        String codec = string(h, CODEC);
        TaskRecord task = TaskRecord.builder(id, queue)
                .state(state)
                .priority(whole(h, PRIORITY, Integer.MIN_VALUE, Integer.MAX_VALUE, 0))
                .runAt(Instant.ofEpochMilli(runAt))
                .attempt(attempt)
                .maxAttempts(whole(h, MAX_ATTEMPTS, 1, Integer.MAX_VALUE, defaultMaxAttempts))
                .payload(payload)
                .codec(codec == null || codec.isBlank() ? JsonCodec.NAME : codec)
                .metadata(metadata)
                .lastError(text(h, ERROR))
                .attempts(attempts(h.get(ATTEMPTS)))
                .result(result)
                .leaseOwner(text(h, OWNER))
                .leaseExpiresAt(state == TaskState.RUNNING ? Instant.ofEpochMilli(row.vtMs()) : null)
                .enqueuedAt(Instant.ofEpochMilli(enqueued == null ? row.enqueuedMs() : enqueued))
                .startedAt(started == null ? null : Instant.ofEpochMilli(started))
                .finishedAt(finished == null ? null : Instant.ofEpochMilli(finished))
                .build();
        return new Read(task, unrunnable);
    }

    /**
     * The attempt history header as values, the last {@link AttemptError#KEPT}. Headers are input (another client may
     * have written this key), so an entry without a whole attempt number, a time and an error is left out rather than
     * failing every read of the task.
     */
    private static List<AttemptError> attempts(JsonNode history) {
        if (history == null || !history.isArray() || history.isEmpty()) return List.of();
        List<AttemptError> attempts = new ArrayList<>(history.size());
        for (JsonNode e : history) {
            if (!e.isObject()) continue;
            Long attempt = whole(e.get("attempt"), 0, Integer.MAX_VALUE);
            Long at = whole(e.get("at"), MIN_EPOCH_MILLIS, MAX_EPOCH_MILLIS);
            String error = text(e, "error");
            if (attempt == null || at == null || error == null) continue;
            attempts.add(new AttemptError(attempt.intValue(), Instant.ofEpochMilli(at), string(e, "worker"), error));
        }
        return List.copyOf(attempts.subList(Math.max(0, attempts.size() - AttemptError.KEPT), attempts.size()));
    }

    /** A header's value when it is a JSON string, else null. */
    private static String string(JsonNode h, String key) {
        JsonNode v = h.get(key);
        return v != null && v.isString() ? v.asString() : null;
    }

    /** A header's value as text: a string as it is, any other JSON value (but null) as JSON. */
    private static String text(JsonNode h, String key) {
        JsonNode v = h.get(key);
        if (v == null || v.isNull()) return null;
        return v.isString() ? v.asString() : v.toString();
    }

    /**
     * A header's value when it is a JSON number holding a whole number from {@code min} to {@code max}, else
     * {@code otherwise}: the rule of {@link QueueSql#wholeNumber}, so SQL and Java agree on every message.
     */
    private static int whole(JsonNode h, String key, long min, long max, int otherwise) {
        Long v = whole(h.get(key), min, max);
        return v == null ? otherwise : v.intValue();
    }

    /** A header holding a time: epoch milliseconds from year 1 to 9999, else null. */
    private static Long epochMillis(JsonNode h, String key) {
        return whole(h.get(key), MIN_EPOCH_MILLIS, MAX_EPOCH_MILLIS);
    }

    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the times a header may hold. */
    static final long MIN_EPOCH_MILLIS = -62_135_596_800_000L;
    static final long MAX_EPOCH_MILLIS = 253_402_300_799_999L;

    private static Long whole(JsonNode v, long min, long max) {
        if (v == null || !v.isNumber()) return null;
        BigDecimal d = v.decimalValue();
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) return null;
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) return null;
        return d.longValue();
    }

    /** A header's value for an error message: JSON, cut short. */
    private static String shown(JsonNode v) {
        String json = v.toString();
        return json.length() <= 60 ? json : json.substring(0, 57) + "...";
    }
}
