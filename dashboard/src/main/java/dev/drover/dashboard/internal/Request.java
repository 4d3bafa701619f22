package dev.drover.dashboard.internal;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One HTTP exchange as the dashboard sees it: method, decoded path segments, query and form fields; and the reply. */
final class Request {
    /** The largest request body read: forms are small; a pushed JSON payload may be up to this. */
    static final int MAX_BODY = 1024 * 1024;
    /**
     * Only this page's own script and style, no frames, forms only to itself: a payload that slips past the escaping
     * still cannot run.
     */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final HttpExchange exchange;
    private final List<String> segments;
    private final Map<String, String> query;
    private Map<String, String> form;
    private byte[] body;

    Request(HttpExchange exchange) {
        this.exchange = exchange;
        this.segments = segments(exchange.getRequestURI().getRawPath());
        this.query = fields(exchange.getRequestURI().getRawQuery());
    }

    String method() {
        return exchange.getRequestMethod();
    }

    /** The path's segments, percent-decoded: {@code /queues/emails} is {@code [queues, emails]}; {@code /} is empty. */
    List<String> path() {
        return segments;
    }

    String segment(int i) {
        return i < segments.size() ? segments.get(i) : null;
    }

    String query(String name) {
        String v = query.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** A field of a form POST ({@code application/x-www-form-urlencoded}). */
    String form(String name) throws IOException {
        if (form == null) form = fields(new String(body(), StandardCharsets.UTF_8));
        String v = form.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** The request body, at most {@link #MAX_BODY} bytes. */
    byte[] body() throws IOException {
        if (body == null) {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] read = in.readNBytes(MAX_BODY + 1);
                if (read.length > MAX_BODY) throw new TooLarge();
                body = read;
            }
        }
        return body;
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    String cookie(String name) {
        List<String> headers = exchange.getRequestHeaders().get("Cookie");
        if (headers == null) return null;
        for (String header : headers) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).strip().equals(name)) return part.substring(eq + 1).strip();
            }
        }
        return null;
    }

    void header(String name, String value) {
        exchange.getResponseHeaders().add(name, value);
    }

    void html(int status, String page) throws IOException {
        send(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    void json(int status, String json) throws IOException {
        send(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    void redirect(String location) throws IOException {
        header("Location", location);
        send(303, "text/plain; charset=utf-8", new byte[0]);
    }

    void send(int status, String contentType, byte[] bytes) throws IOException {
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("Content-Security-Policy", CSP);
        h.set("X-Frame-Options", "DENY");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "same-origin"); // not no-referrer: with it, browsers send "Origin: null" on the page's own POSTs
        if (!h.containsKey("Cache-Control")) h.set("Cache-Control", "no-store");
        boolean head = method().equals("HEAD");
        exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        if (rawPath == null) return out;
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Map<String, String> fields(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    /** A body over {@link #MAX_BODY}. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("the request body is over " + MAX_BODY + " bytes");
        }
    }
}
