package dev.drover.spi;

import dev.drover.api.ConfigurationException;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backend URL: {@code scheme:location[?name=value&...]}, for example {@code sqlite:jobs.db?busyTimeout=5000}.
 * {@link #toString()} and {@link #redacted()} hide passwords ({@code user:secret@}) and the values of
 * parameters that carry secrets, so a URL can be logged and put into error messages.
 */
public final class DroverUrl {
    private static final Pattern SCHEME = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*):(.*)", Pattern.DOTALL);
    private static final Set<String> SECRET_PARAMS = Set.of("password", "token", "authtoken", "auth_token", "secret", "apikey", "api_key");

    private final String raw;
    private final String scheme;
    private final String location;
    private final Map<String, String> params;

    private DroverUrl(String raw, String scheme, String location, Map<String, String> params) {
        this.raw = raw;
        this.scheme = scheme;
        this.location = location;
        this.params = params;
    }

    public static DroverUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new ConfigurationException("no backend URL given: pass one to Drover.open(...) or set DROVER_URL, for example sqlite:jobs.db");
        }
        String trimmed = url.strip();
        Matcher m = SCHEME.matcher(trimmed);
        if (!m.matches()) {
            throw new ConfigurationException("malformed backend URL " + redact(trimmed)
                    + ": expected scheme:location, for example sqlite:jobs.db or sqlite::memory:");
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String rest = m.group(2);
        String location = rest;
        Map<String, String> params = new LinkedHashMap<>();
        int q = rest.indexOf('?');
        if (q >= 0) {
            location = rest.substring(0, q);
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigurationException("malformed parameter in backend URL " + redact(trimmed)
                            + ": expected name=value, found \"" + redactParam(pair) + "\"");
                }
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return new DroverUrl(trimmed, scheme, location, Collections.unmodifiableMap(params));
    }

    public String scheme() {
        return scheme;
    }

    /** The part between the scheme's colon and the {@code ?}. */
    public String location() {
        return location;
    }

    public Map<String, String> params() {
        return params;
    }

    /** The URL as given, secrets included: for the backend's connection only, never for logs. */
    public String raw() {
        return raw;
    }

    /** Fails with a message naming the unknown parameter and the known ones. */
    public void requireKnownParams(Set<String> known) {
        for (String name : params.keySet()) {
            if (!known.contains(name)) {
                throw new ConfigurationException("unknown parameter \"" + name + "\" in backend URL " + redacted()
                        + ": " + scheme + ": URLs take " + (known.isEmpty() ? "no parameters" : String.join(", ", new java.util.TreeSet<>(known))));
            }
        }
    }

    public int intParam(String name, int defaultValue) {
        String value = params.get(name);
        if (value == null) return defaultValue;
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new ConfigurationException("parameter " + name + " in backend URL " + redacted()
                    + " must be a whole number (got \"" + value + "\")");
        }
    }

    public String redacted() {
        return redact(raw);
    }

    @Override
    public String toString() {
        return redacted();
    }

    static String redact(String url) {
        String out = redactPassword(url);
        int q = out.indexOf('?');
        if (q < 0) return out;
        StringBuilder sb = new StringBuilder(out.substring(0, q + 1));
        String[] pairs = out.substring(q + 1).split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            if (i > 0) sb.append('&');
            sb.append(redactParam(pairs[i]));
        }
        return sb.toString();
    }

    /**
     * Hides the password of {@code //user:password@host}. The password ends at the last {@code @} before the
     * parameters, so one holding raw {@code @ / : #} is hidden whole; when it holds a raw {@code ?}, the last
     * {@code @} of the URL ends it. This may hide more than the password, never less.
     */
    private static String redactPassword(String url) {
        int slashes = url.indexOf("//");
        if (slashes < 0) return url;
        int start = slashes + 2;
        int query = url.indexOf('?', start);
        int at = url.lastIndexOf('@', (query < 0 ? url.length() : query) - 1);
        if (at < start) at = url.lastIndexOf('@');
        if (at < start) return url;
        int colon = url.indexOf(':', start);
        if (colon < 0 || colon > at) return url;
        return url.substring(0, colon + 1) + "***" + url.substring(at);
    }

    private static String redactParam(String pair) {
        int eq = pair.indexOf('=');
        if (eq < 0) return pair.length() > 12 || pair.contains("@") ? "***" : pair; // a raw ? in a password makes such a "pair"
        String name = pair.substring(0, eq);
        return SECRET_PARAMS.contains(name.toLowerCase(Locale.ROOT)) ? name + "=***" : pair;
    }
}
