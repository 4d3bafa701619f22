package dev.drover.dashboard.internal;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static dev.drover.dashboard.internal.Html.esc;

/**
 * A payload or result as the task page shows it: JSON pretty-printed, other text as it is, anything else as hex; at
 * most {@code limit} bytes of it, saying so when there is more. Always escaped: a payload is data, never markup.
 */
final class PayloadView {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PayloadView() {
    }

    static String render(byte[] bytes, int limit, String apiLink) {
        StringBuilder b = new StringBuilder();
        boolean cut = bytes.length > limit;
        String text = utf8(bytes, cut ? limit : bytes.length);
        String shown;
        String kind;
        if (text == null) {
            int n = Math.min(bytes.length, Math.min(limit, 4096));
            shown = hex(bytes, n);
            kind = "binary, shown as hex";
            cut = n < bytes.length;
        } else if (!cut && looksLikeJson(text)) {
            String pretty = pretty(text);
            shown = pretty == null ? text : pretty;
            kind = pretty == null ? "text" : "JSON";
        } else {
            shown = text;
            kind = "text";
        }
        b.append("<div class=\"payload-meta muted\">").append(Html.bytes(bytes.length)).append(" · ").append(kind);
        if (cut) b.append(" · <strong>showing the first ").append(Html.bytes(Math.min(limit, bytes.length))).append("</strong>: the whole of it is in the <a href=\"")
                .append(esc(apiLink)).append("\">JSON API</a>");
        b.append("</div><pre class=\"payload\">").append(esc(shown)).append("</pre>");
        return b.toString();
    }

    private static boolean looksLikeJson(String text) {
        String t = text.strip();
        return t.startsWith("{") || t.startsWith("[") || t.startsWith("\"");
    }

    private static String pretty(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The first {@code n} bytes as UTF-8, or null when they are not text (a character cut at the end is allowed). */
    private static String utf8(byte[] bytes, int n) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        for (int end = n; end >= Math.max(0, n - 3); end--) {
            try {
                String s = decoder.reset().decode(ByteBuffer.wrap(bytes, 0, end)).toString();
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return null;
                }
                return s;
            } catch (CharacterCodingException e) {
                if (end == n && n == bytes.length) return null; // the whole payload: no cut character to forgive
            }
        }
        return null;
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder b = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < n; i += 16) {
            b.append(String.format("%08x  ", i)).append(hex.formatHex(bytes, i, Math.min(n, i + 16))).append('\n');
        }
        return b.toString();
    }
}
