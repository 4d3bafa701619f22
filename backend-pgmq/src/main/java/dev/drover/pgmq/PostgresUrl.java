package dev.drover.pgmq;

import dev.drover.api.ConfigurationException;
import dev.drover.spi.DroverUrl;
import org.postgresql.PGProperty;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A {@code pgmq://}, {@code postgresql://} or {@code postgres://} URL turned into what pgjdbc needs:
 * {@code pgmq://user:password@host:5432/database?mode=plain&sslmode=require}. The host defaults to localhost, the
 * port to 5432; the database is required. A password missing from the URL is taken from {@code PGPASSWORD}.
 * Parameters other than Drover's own ({@link PgmqOptions#PARAMS}) must be pgjdbc connection properties, and are
 * passed on; an unknown one is an error that names it. The password never appears in {@link #describe()}.
 */
record PostgresUrl(String jdbcUrl, String user, String password, Properties properties, String describe) {
    static final Set<String> SCHEMES = Set.of("pgmq", "postgresql", "postgres");

    @Override
    public String toString() {
        return describe;
    }

    /** A connection of its own (not pooled) to this database, with the URL's user, password and pgjdbc properties. */
    Connection connect() throws SQLException {
        return connect(0);
    }

    /** As {@link #connect()}, giving up after {@code loginTimeoutSeconds} (0: pgjdbc's default) unless the URL sets loginTimeout. */
    Connection connect(int loginTimeoutSeconds) throws SQLException {
        Properties props = new Properties();
        props.putAll(properties);
        props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        if (loginTimeoutSeconds > 0 && !props.containsKey(PGProperty.LOGIN_TIMEOUT.getName())) {
            props.setProperty(PGProperty.LOGIN_TIMEOUT.getName(), Integer.toString(loginTimeoutSeconds));
        }
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /** A connection of its own to the database {@code droverUrl} names. */
    static Connection connect(String droverUrl) throws SQLException {
        return parse(DroverUrl.parse(droverUrl)).connect();
    }

    /**
     * The parameters whose values messages may show ({@link DroverUrl#showingValuesOf}): Drover's settings and pgjdbc's
     * connection properties, but the arguments pgjdbc hands to the application's own classes ({@code sslfactoryarg},
     * {@code socketFactoryArg}, ...), which may hold anything. {@link DroverUrl} hides, whatever this says, every
     * property whose name looks secret ({@code password}, {@code sslpassword}, {@code sslkey}, ...) and every
     * parameter not named here.
     */
    static final Set<String> SHOWN = shownParams();

    private static Set<String> shownParams() {
        Set<String> names = new HashSet<>(PgmqOptions.PARAMS);
        for (PGProperty p : PGProperty.values()) {
            if (!p.getName().toLowerCase(Locale.ROOT).endsWith("arg")) names.add(p.getName());
        }
        return Set.copyOf(names);
    }

    /** {@code url} with the values of the settings this backend knows shown in messages, and every other value hidden. */
    static DroverUrl classified(DroverUrl url) {
        return url.showingValuesOf(SHOWN);
    }

    static PostgresUrl parse(DroverUrl given) {
        DroverUrl url = classified(given);
        if (!SCHEMES.contains(url.scheme())) {
            throw new ConfigurationException("the PGMQ backend opens pgmq:, postgresql: and postgres: URLs, not " + url.redacted());
        }
        String location = url.location();
        if (!location.startsWith("//")) {
            throw new ConfigurationException("malformed backend URL " + url.redacted()
                    + ": expected " + url.scheme() + "://user:password@host:port/database, for example pgmq://app@127.0.0.1:5432/jobs");
        }
        URI uri;
        try {
            uri = new URI("pg:" + location);
        } catch (URISyntaxException e) {
            throw new ConfigurationException("malformed backend URL " + url.redacted() + ": " + e.getReason()
                    + " (characters such as @ : / in a password must be percent-encoded)");
        }
        if (uri.getHost() == null && uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
            // java.net.URI could not split user:password@host:port (a port that is not a number, or a raw @ / : in the
            // password): refuse rather than guess a server
            throw new ConfigurationException("malformed backend URL " + url.redacted() + ": " + unsplittable(uri.getRawAuthority()));
        }
        String host = uri.getHost() == null || uri.getHost().isBlank() ? "localhost" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new ConfigurationException("malformed backend URL " + url.redacted() + ": port " + port + " is not a TCP port (1 to 65535); "
                    + "PostgreSQL's is 5432 unless the server was set up otherwise");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path, "the database name", url);
        if (database.isBlank()) {
            throw new ConfigurationException("backend URL " + url.redacted() + " names no database: add /<database> after the host, for example "
                    + url.scheme() + "://app@127.0.0.1:5432/jobs");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon), "the user name", url);
            if (colon >= 0) password = decode(info.substring(colon + 1), "the password", url);
        }
        if (user == null || user.isBlank()) user = System.getProperty("user.name");
        if (password == null) password = System.getenv("PGPASSWORD");

        Properties props = new Properties();
        props.setProperty(PGProperty.APPLICATION_NAME.getName(), "drover");
        for (Map.Entry<String, String> p : url.params().entrySet()) {
            if (PgmqOptions.PARAMS.contains(p.getKey())) continue;
            if (PGProperty.forName(p.getKey()) == null) {
                throw new ConfigurationException("unknown parameter " + url.quoted(p.getKey()) + " in backend URL " + url.redacted()
                        + ": the PGMQ backend takes " + String.join(", ", new java.util.TreeSet<>(PgmqOptions.PARAMS))
                        + " and pgjdbc's connection properties (sslmode, ApplicationName, connectTimeout, ...)");
            }
            if (p.getKey().equalsIgnoreCase("password")) password = p.getValue();
            else if (p.getKey().equalsIgnoreCase("user")) user = p.getValue();
            else props.setProperty(p.getKey(), p.getValue());
        }
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String jdbcUrl = "jdbc:postgresql://" + hostPart + ":" + port + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8);
        String describe = "PostgreSQL " + user + "@" + hostPart + ":" + port + "/" + database;
        return new PostgresUrl(jdbcUrl, user, password, props, describe);
    }

    /**
     * Why {@code user:password@host:port} could not be split, for a message. Nothing that may be part of a password is
     * echoed: after the last {@code @} there is only the host and port; without an {@code @}, the text after a colon
     * may be the start of a password cut short by a raw {@code / ? #}.
     */
    private static String unsplittable(String authority) {
        int at = authority.lastIndexOf('@');
        String hostPort = authority.substring(at + 1);
        String encodeAdvice = "characters such as @ : / ? # in a user name or password must be percent-encoded (%40 %3A %2F %3F %23)";
        int colon = hostPort.startsWith("[") ? hostPort.indexOf("]:") + 1 : hostPort.indexOf(':');
        boolean oneColon = colon > 0 && (hostPort.startsWith("[") || hostPort.indexOf(':', colon + 1) < 0);
        if (oneColon) {
            String host = hostPort.substring(0, colon);
            String port = hostPort.substring(colon + 1);
            if (!port.isEmpty() && !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                if (at >= 0) {
                    return "the port \"" + port + "\" after host " + host + " is not a number: write it in digits, as in "
                            + host + ":5432 (PostgreSQL's usual port; the host alone means 5432)";
                }
                return "what follows \"" + host + ":\" is not a port number: write the port in digits (" + host + ":5432), or, if \""
                        + host + "\" is a user name and a password follows, " + encodeAdvice;
            }
        }
        return "cannot tell the user, password, host and port apart; " + encodeAdvice;
    }

    private static String decode(String raw, String what, DroverUrl url) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // its message quotes the text after the %: not echoed
            throw new ConfigurationException("malformed backend URL " + url.redacted() + ": a % in " + what
                    + " is not followed by two hex digits; write % as %25");
        }
    }
}
