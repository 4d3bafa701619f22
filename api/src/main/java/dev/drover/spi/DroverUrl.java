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
 * {@link #toString()} and {@link #redacted()} hide the password of {@code //user:password@host} and the value of
 * every parameter but the settings a backend declared with {@link #showingValuesOf(Set)}, so a URL can be logged and
 * put into error messages. Redaction is by what is known to be safe, not by a list of secrets that could miss one: a
 * parameter a backend does not know (a misspelt {@code pasword}, say) is hidden, and so is every parameter whose name
 * says it holds a secret ({@link #looksSecret(String)}), whatever a backend declares.
 */
public final class DroverUrl {
    private static final Pattern SCHEME = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*):(.*)", Pattern.DOTALL);
    /** Parts of names of parameters that hold secrets or the means to one: passwords, tokens, keys, credentials. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(pass|pwd|secret|token|key|credential|auth|private|session|cookie|signature).*", Pattern.CASE_INSENSITIVE);
    private static final String HIDDEN = "***";

    private final String raw;
    private final String scheme;
    private final String location;
    private final Map<String, String> params;
    private final Set<String> shown;

    private DroverUrl(String raw, String scheme, String location, Map<String, String> params, Set<String> shown) {
        this.raw = raw;
        this.scheme = scheme;
        this.location = location;
        this.params = params;
        this.shown = shown;
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
                    // not echoed: it may be the end of a secret that held a raw &
                    throw new ConfigurationException("malformed parameter in backend URL " + redact(trimmed, Set.of())
                            + ": parameter " + (params.size() + 1) + " is not name=value; write & = % # inside a value as %26 %3D %25 %23");
                }
                try {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) { // its message quotes the text after the %: not echoed
                    throw new ConfigurationException("malformed parameter in backend URL " + redact(trimmed, Set.of())
                            + ": parameter " + (params.size() + 1) + " holds a % that is not followed by two hex digits; write % as %25");
                }
            }
        }
        return new DroverUrl(trimmed, scheme, location, Collections.unmodifiableMap(params), Set.of());
    }

    /**
     * This URL, with the values of the parameters {@code names} shown by {@link #redacted()}: a backend passes the
     * settings it reads, which hold no secret. A name that {@link #looksSecret(String) looks secret} stays hidden
     * even so, and every parameter not named here is hidden.
     */
    public DroverUrl showingValuesOf(Set<String> names) {
        Set<String> union = new java.util.HashSet<>(shown);
        union.addAll(names);
        return new DroverUrl(raw, scheme, location, params, Set.copyOf(union));
    }

    /**
     * True when a parameter's name says it holds a secret or the means to one: it contains {@code pass}, {@code pwd},
     * {@code secret}, {@code token}, {@code key}, {@code credential}, {@code auth}, {@code private}, {@code session},
     * {@code cookie} or {@code signature}, in any case. Its value is never shown.
     */
    public static boolean looksSecret(String name) {
        return SECRET_NAME.matcher(name).matches();
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
                throw new ConfigurationException("unknown parameter " + quoted(name) + " in backend URL " + redacted()
                        + ": " + scheme + ": URLs take " + (known.isEmpty() ? "no parameters" : String.join(", ", new java.util.TreeSet<>(known))));
            }
        }
    }

    /**
     * How an error names the parameter {@code name}: in quotes, unless it follows a parameter whose value is hidden
     * (a password, a token), where it may be the rest of that value cut at a raw {@code &}: then by its place, with how
     * to write an {@code &} inside a value.
     */
    public String quoted(String name) {
        String secret = null; // the parameter holding a secret that the parameters since may be the rest of
        for (String n : params.keySet()) {
            boolean mayBeRest = secret != null && !shown.contains(n);
            if (n.equals(name)) {
                return mayBeRest ? "(the one after " + secret + "; if it is the rest of " + secret
                        + "'s value, write & inside a value as %26)" : "\"" + name + "\"";
            }
            if (!mayBeRest) secret = looksSecret(n) ? n : null;
        }
        return "\"" + name + "\"";
    }

    public int intParam(String name, int defaultValue) {
        String value = params.get(name);
        if (value == null) return defaultValue;
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new ConfigurationException("parameter " + name + " in backend URL " + redacted()
                    + " must be a whole number (got \"" + (looksSecret(name) ? HIDDEN : value) + "\")");
        }
    }

    /** The URL without its secrets: the password of {@code //user:password@} and every parameter value not shown (see the class comment). */
    public String redacted() {
        return redact(raw, shown);
    }

    @Override
    public String toString() {
        return redacted();
    }

    static String redact(String url) {
        return redact(url, Set.of());
    }

    private static String redact(String url, Set<String> shown) {
        String out = redactPassword(url);
        int q = out.indexOf('?');
        if (q < 0) return out;
        StringBuilder sb = new StringBuilder(out.substring(0, q + 1));
        String[] pairs = out.substring(q + 1).split("&", -1);
        boolean afterSecret = false;
        for (int i = 0; i < pairs.length; i++) {
            if (i > 0) sb.append('&');
            int eq = pairs[i].indexOf('=');
            String name = eq < 0 ? null : pairs[i].substring(0, eq);
            if (pairs[i].isEmpty()) continue;
            if (name == null || (afterSecret && !shown.contains(name))) {
                sb.append(HIDDEN); // a fragment without =, or an unknown name after a secret: either may be the rest of the secret
            } else {
                sb.append(name).append('=').append(shown.contains(name) && !looksSecret(name) ? pairs[i].substring(eq + 1) : HIDDEN);
                afterSecret = looksSecret(name);
            }
        }
        return sb.toString();
    }

    /**
     * Hides the password of {@code //user:password@host}, or of {@code scheme:user:password@host} written without the
     * slashes. The password ends at the last {@code @} before the parameters, so one holding raw {@code @ / : #} is
     * hidden whole; when it holds a raw {@code ?}, the last {@code @} of the URL ends it. This may hide more than the
     * password, never less.
     */
    private static String redactPassword(String url) {
        int slashes = url.indexOf("//");
        int start = slashes >= 0 ? slashes + 2 : url.indexOf(':') + 1;
        int query = url.indexOf('?', start);
        int at = url.lastIndexOf('@', (query < 0 ? url.length() : query) - 1);
        if (at < start) at = url.lastIndexOf('@');
        if (at < start) return url;
        int colon = url.indexOf(':', start);
        if (colon < 0 || colon > at) return url;
        return url.substring(0, colon + 1) + HIDDEN + url.substring(at);
    }
}
