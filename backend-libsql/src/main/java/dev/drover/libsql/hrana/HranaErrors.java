package dev.drover.libsql.hrana;

import dev.drover.api.StorageException;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Hrana failures as {@link StorageException}s that name the server (never the token) and say whether trying again
 * may help. Codes are not stable across servers (tursodb sends {@code EXECUTE_ERROR} with SQLite's message), so a
 * failure is classified by code and by message.
 */
public final class HranaErrors {
    private HranaErrors() {
    }

    static StorageException httpFailure(String where, int status, byte[] body) {
        String detail = snippet(body);
        if (status == 401 || status == 403) {
            return new StorageException(where + " refused the request: authentication failed (HTTP " + status
                    + "); check the auth token (URL parameter authToken or TURSO_AUTH_TOKEN)", false);
        }
        boolean transientFailure = status == 429 || status >= 500 || (status == 400 && detail.contains("STREAM_EXPIRED"));
        return new StorageException(where + " answered HTTP " + status + (detail.isEmpty() ? "" : ": " + detail)
                + (transientFailure ? "; will try again" : ""), transientFailure);
    }

    static StorageException requestFailure(String where, JsonNode error) {
        return stepFailure(where, "the request", error.path("message").asString("(no message)"), error.path("code").asString(""));
    }

    /** A failed statement: busy or locked databases are transient; constraints, syntax and the rest are not. */
    public static StorageException stepFailure(String where, String what, String message, String code) {
        String m = message.toLowerCase(Locale.ROOT);
        boolean busy = code.contains("BUSY") || code.contains("LOCKED") || m.contains("database is locked") || m.contains("busy")
                || code.contains("TRANSACTION_TIMEOUT") || m.contains("cannot start a transaction within a transaction");
        boolean constraint = code.contains("CONSTRAINT") || m.contains("constraint failed");
        String text = where + (constraint ? " refused the write: " : ": " + what + " failed: ") + message
                + (code.isEmpty() ? "" : " (" + code + ")") + (busy ? "; the database is busy, will try again" : "");
        return new StorageException(text, busy);
    }

    static String snippet(byte[] body) {
        if (body == null || body.length == 0) return "";
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return body.length > 300 ? s + "..." : s;
    }
}
