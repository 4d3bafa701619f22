package dev.drover.libsql;

import dev.drover.api.ConfigurationException;
import dev.drover.spi.DroverUrl;
import dev.drover.sqlite.SqliteOptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three forms of a {@code libsql:} URL:
 * <ul>
 *   <li>{@code libsql:jobs.db}, {@code libsql:/srv/app/jobs.db}: a local libSQL/SQLite file (the SQLite backend's
 *       parameters apply, and the server's are refused);</li>
 *   <li>{@code libsql://my-db-org.turso.io}: a remote Turso or libsql-server database over HTTPS
 *       ({@code ?tls=false} for plain HTTP, e.g. a local server); the token from {@code ?authToken=...} or the
 *       environment ({@code TURSO_AUTH_TOKEN}, else {@code LIBSQL_AUTH_TOKEN});</li>
 *   <li>the same with {@code ?replica=/path/local.db}: an embedded replica of the remote database in that file,
 *       synced every {@code syncInterval} (default 5s; {@code 0} for on-demand only). A read syncs first when this
 *       process wrote since the last sync, or when the last sync is older than {@code maxStaleness} (default: the
 *       sync interval; {@code 0}: every read pulls first, so it also sees other processes' writes at once).</li>
 * </ul>
 * Also {@code timeout} (per HTTP request, default 10s). The token never appears in {@link #where()}.
 */
record LibsqlUrl(Mode mode, Path file, URI base, String where, String token, Duration timeout, Duration syncInterval,
                 Duration maxStaleness) {
    enum Mode { LOCAL, REMOTE, REPLICA }

    static final Set<String> REMOTE_PARAMS = Set.of("authToken", "tls", "timeout", "replica", "syncInterval", "maxStaleness");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)?");

    static LibsqlUrl parse(DroverUrl given) {
        DroverUrl url = given.showingValuesOf(REMOTE_PARAMS).showingValuesOf(SqliteOptions.URL_PARAMS); // authToken looks secret: still hidden
        if (!"libsql".equals(url.scheme())) {
            throw new ConfigurationException("the libSQL backend opens libsql: URLs, not " + url.redacted());
        }
        String location = url.location().strip();
        if (!location.startsWith("//")) {
            if (location.isEmpty()) {
                throw new ConfigurationException("libsql: URL needs a file path (libsql:jobs.db) or a server (libsql://host), got " + url.redacted());
            }
            for (String name : url.params().keySet()) {
                if (REMOTE_PARAMS.contains(name) && !SqliteOptions.URL_PARAMS.contains(name)) {
                    throw new ConfigurationException("parameter " + name + " in backend URL " + url.redacted() + " is for a libSQL server"
                            + " (libsql://host?" + name + "=...), but this URL names a local file, whose parameters are "
                            + String.join(", ", new TreeSet<>(SqliteOptions.URL_PARAMS)) + "; for a server write libsql://<host>[:port]");
                }
            }
            // The file and its parameters are read as a sqlite: URL's are (SqliteBackend.openFile), naming this URL.
            return new LibsqlUrl(Mode.LOCAL, null, null, "libsql:" + location, null, null, null, null);
        }
        url.requireKnownParams(REMOTE_PARAMS);
        URI uri;
        try {
            uri = new URI("x:" + location);
        } catch (URISyntaxException e) {
            throw new ConfigurationException("malformed backend URL " + url.redacted() + ": " + e.getReason());
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new ConfigurationException("backend URL " + url.redacted() + " names no host: libsql://<host>[:port], for example libsql://jobs-acme.turso.io");
        }
        String tlsText = url.params().getOrDefault("tls", "true").strip().toLowerCase(Locale.ROOT);
        boolean tls = switch (tlsText) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new ConfigurationException("parameter tls in backend URL " + url.redacted() + " must be true or false (got \"" + tlsText + "\")");
        };
        String hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        URI base = URI.create((tls ? "https://" : "http://") + hostPort + "/");
        String token = url.params().get("authToken");
        if (token == null) token = System.getenv("TURSO_AUTH_TOKEN");
        if (token == null) token = System.getenv("LIBSQL_AUTH_TOKEN");
        Duration timeout = duration(url, "timeout", Duration.ofSeconds(10));
        String replica = url.params().get("replica");
        String where = "libsql://" + hostPort;
        if (replica == null) return new LibsqlUrl(Mode.REMOTE, null, base, where, token, timeout, null, null);
        if (replica.isBlank()) throw new ConfigurationException("parameter replica in backend URL " + url.redacted() + " needs a file path");
        Duration interval = duration(url, "syncInterval", Duration.ofSeconds(5));
        return new LibsqlUrl(Mode.REPLICA, Path.of(replica), base, where, token, timeout, interval, duration(url, "maxStaleness", interval));
    }

    private static Duration duration(DroverUrl url, String name, Duration otherwise) {
        String value = url.params().get(name);
        if (value == null) return otherwise;
        Matcher m = DURATION.matcher(value.strip());
        if (!m.matches()) {
            throw new ConfigurationException("parameter " + name + " in backend URL " + url.redacted()
                    + " must be a duration such as 500ms, 5s or 2m (got \"" + value + "\")");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
