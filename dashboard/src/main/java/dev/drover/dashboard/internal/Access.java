package dev.drover.dashboard.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * Who may use the dashboard, and which POSTs are the page's own: the credential (a token, or basic auth, or none on
 * loopback), the session a person gets by typing the token once, and the CSRF token every action must carry. Secrets
 * are compared in constant time and never printed.
 */
public final class Access {
    static final String SESSION_COOKIE = "drover_session";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] token;
    private final byte[] basic;
    private final boolean loopback;
    private final String csrf = random();
    private final String session = random();

    private Access(byte[] token, byte[] basic, boolean loopback) {
        this.token = token;
        this.basic = basic;
        this.loopback = loopback;
    }

    /** The access of a dashboard with {@code token}, or {@code user} and {@code password}, or neither. */
    public static Access of(String token, String user, String password, boolean loopback) {
        byte[] basic = user == null ? null
                : ("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
        return new Access(token == null ? null : token.getBytes(StandardCharsets.UTF_8), basic, loopback);
    }

    /** Whether a token or basic auth was given. */
    public boolean hasCredential() {
        return token != null || basic != null;
    }

    boolean usesBasicAuth() {
        return basic != null;
    }

    boolean usesToken() {
        return token != null;
    }

    String csrf() {
        return csrf;
    }

    /** Whether {@code request} may see the dashboard: no credential needed, or it carries the right one. */
    boolean admits(Request request) {
        if (!hasCredential()) return true;
        String authorization = request.header("Authorization");
        if (authorization != null) {
            if (basic != null && same(authorization.strip(), basic)) return true;
            if (token != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) && same(authorization.substring(7).strip(), token)) return true;
        }
        String cookie = request.cookie(SESSION_COOKIE);
        return token != null && cookie != null && same(cookie, session.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code candidate} is the token; if so, the value of the session cookie that stands for it. */
    String login(String candidate) {
        return token != null && candidate != null && same(candidate.strip(), token) ? session : null;
    }

    /**
     * Whether the Host header names this dashboard. Without a credential on loopback, only loopback names are
     * accepted, so a web page of another site cannot reach it by rebinding its own DNS name to 127.0.0.1.
     */
    boolean hostAllowed(Request request) {
        if (hasCredential() || !loopback) return true;
        String host = request.header("Host");
        if (host == null) return false;
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) name = name.substring(0, Math.max(1, name.indexOf(']') + 1));
        else if (name.contains(":")) name = name.substring(0, name.indexOf(':'));
        return name.equals("localhost") || name.equals("[::1]") || name.startsWith("127.");
    }

    /**
     * Whether a POST comes from the dashboard's own page: a browser's {@code Sec-Fetch-Site} and {@code Origin} (when
     * sent) must say same-origin, and the CSRF token must be the one the page carries ({@code csrf} form field or
     * {@code X-Drover-Csrf} header).
     */
    boolean sameOrigin(Request request) {
        String site = request.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) return false;
        String origin = request.header("Origin");
        if (origin != null) {
            // The scheme is left out of the comparison: behind a TLS-terminating proxy the page's origin is https while
            // the dashboard itself is served over http; the host (and port) is what tells another site apart.
            String host = request.header("Host");
            String originHost = origin.replaceFirst("(?i)^https?://", "");
            return host != null && !origin.equals(originHost) && originHost.equalsIgnoreCase(host);
        }
        return true;
    }

    boolean csrfMatches(String candidate) {
        return candidate != null && same(candidate, csrf.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean same(String candidate, byte[] expected) {
        return MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8), expected);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
