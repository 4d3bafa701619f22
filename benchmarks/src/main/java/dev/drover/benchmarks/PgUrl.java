package dev.drover.benchmarks;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL the pgmq targets and the peers use, from {@code --pg}: {@code user[:password]@host[:port]/database}
 * with an optional {@code pgmq://}, {@code postgresql://} or {@code postgres://} prefix and {@code ?params} (pgjdbc
 * properties such as {@code sslmode}, passed on). It becomes a Drover URL for each PGMQ mode and a JDBC URL for the
 * peers and for the harness's own housekeeping (dropping a run's queues).
 *
 * @param params {@code a=b&c=d}, or empty
 */
public record PgUrl(String user, String password, String host, int port, String database, String params) {
    private static final Pattern SHAPE = Pattern.compile("(?:(?:pgmq|postgresql|postgres)://)?(?:([^:@/]+)(?::([^@/]*))?@)?([^:/?]+)(?::(\\d+))?/([^?/]+)(?:\\?(.*))?");

    public static PgUrl parse(String text) {
        Matcher m = SHAPE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected user@host:port/database, for example " + Options.DEFAULT_PG + " (got \"" + text + "\")");
        }
        String user = m.group(1) == null ? "postgres" : m.group(1);
        int port = m.group(4) == null ? 5432 : Integer.parseInt(m.group(4));
        String params = m.group(6) == null ? "" : m.group(6);
        for (String param : params.split("&")) {
            if (param.toLowerCase(Locale.ROOT).startsWith("mode=")) {
                throw new IllegalArgumentException("leave the PGMQ mode out of --pg: the pgmq-plain and pgmq-extension targets set it");
            }
        }
        return new PgUrl(user, m.group(2), m.group(3), port, m.group(5), params);
    }

    /** The same server, another database. */
    public PgUrl withDatabase(String name) {
        return new PgUrl(user, password, host, port, name, params);
    }

    /** {@code pgmq://user@host:port/database?mode=<mode>&params}. */
    public String droverUrl(String mode) {
        return "pgmq://" + userInfo() + "@" + host + ":" + port + "/" + database + "?mode=" + mode + (params.isEmpty() ? "" : "&" + params);
    }

    /** {@code jdbc:postgresql://host:port/database?user=...&password=...&params}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?user=" + encode(user)
                + (password == null ? "" : "&password=" + encode(password)) + (params.isEmpty() ? "" : "&" + params);
    }

    /** A connection of the harness's own (not pooled). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** {@code user@host:port/database}, without the password. */
    public String describe() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    private String userInfo() {
        return password == null ? user : user + ":" + password;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return describe();
    }
}
