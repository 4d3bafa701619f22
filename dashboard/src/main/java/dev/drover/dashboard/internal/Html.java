package dev.drover.dashboard.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Escaping and formatting for the pages: everything shown that came from storage goes through {@link #esc}. */
final class Html {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Html() {
    }

    /** {@code text} safe as element content and as a quoted attribute value. */
    static String esc(Object value) {
        if (value == null) return "";
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** One path segment, percent-encoded (a task id may hold any character). */
    static String seg(Object value) {
        return URLEncoder.encode(value.toString(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query value, percent-encoded. */
    static String q(Object value) {
        return URLEncoder.encode(value.toString(), StandardCharsets.UTF_8);
    }

    /** A time in UTC, to the second, with the exact instant as its tooltip; "—" when absent. */
    static String time(Instant at) {
        if (at == null) return "<span class=\"muted\">—</span>";
        return "<time datetime=\"" + esc(at) + "\" title=\"" + esc(at) + "\">" + TIME.format(at) + "</time>";
    }

    /** A time relative to {@code now}: "in 3m", "2h ago". */
    static String relative(Instant at, Instant now) {
        if (at == null) return "";
        Duration d = Duration.between(now, at);
        boolean future = !d.isNegative();
        long s = Math.abs(d.toSeconds());
        String amount = s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" : s < 86400 ? s / 3600 + "h" : s / 86400 + "d";
        return future ? "in " + amount : amount + " ago";
    }

    /** A count with thousands separators. */
    static String count(long n) {
        return String.format("%,d", n);
    }

    /** A size in bytes, KiB or MiB. */
    static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format("%.1f KiB", n / 1024.0);
        return String.format("%.1f MiB", n / (1024.0 * 1024));
    }
}
