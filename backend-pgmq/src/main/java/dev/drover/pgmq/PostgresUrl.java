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
        Properties props = new Properties();
        props.putAll(properties);
        props.setProperty("user", user);
        if (password != null) props.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /** A connection of its own to the database {@code droverUrl} names. */
    static Connection connect(String droverUrl) throws SQLException {
        return parse(DroverUrl.parse(droverUrl)).connect();
    }

    static PostgresUrl parse(DroverUrl url) {
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
            // java.net.URI could not split user:password@host:port (a raw @ / : in the password, say): refuse rather
            // than guess a server
            throw new ConfigurationException("malformed backend URL " + url.redacted() + ": cannot tell the user, password, host and port "
                    + "apart; characters such as @ : / ? # in a user name or password must be percent-encoded (%40 %3A %2F %3F %23)");
        }
        String host = uri.getHost() == null || uri.getHost().isBlank() ? "localhost" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.startsWith("/") ? decode(path.substring(1)) : decode(path);
        if (database.isBlank()) {
            throw new ConfigurationException("backend URL " + url.redacted() + " names no database: add /<database> after the host, for example "
                    + url.scheme() + "://app@127.0.0.1:5432/jobs");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) password = decode(info.substring(colon + 1));
        }
        if (user == null || user.isBlank()) user = System.getProperty("user.name");
        if (password == null) password = System.getenv("PGPASSWORD");

        Properties props = new Properties();
        props.setProperty(PGProperty.APPLICATION_NAME.getName(), "drover");
        for (Map.Entry<String, String> p : url.params().entrySet()) {
            if (PgmqOptions.PARAMS.contains(p.getKey())) continue;
            if (PGProperty.forName(p.getKey()) == null) {
                throw new ConfigurationException("unknown parameter \"" + p.getKey() + "\" in backend URL " + url.redacted()
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

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
