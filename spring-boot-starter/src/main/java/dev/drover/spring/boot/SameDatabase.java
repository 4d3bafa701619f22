package dev.drover.spring.boot;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a JDBC URL (the application's DataSource) and a Drover URL name the same database: the same SQLite file, or
 * the same PostgreSQL host, port and database. Only then can a push join the application's transaction.
 */
final class SameDatabase {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private SameDatabase() {
    }

    static boolean check(String jdbcUrl, String droverUrl) {
        Optional<String> a = identity(jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl);
        Optional<String> b = identity(droverUrl);
        return a.isPresent() && a.equals(b);
    }

    /** "sqlite:/abs/path" or "pg:host:port/db"; empty for what cannot be shared (memory, remote libSQL, unknown). */
    static Optional<String> identity(String url) {
        String u = url.strip();
        int q = u.indexOf('?');
        String noQuery = q < 0 ? u : u.substring(0, q);
        String lower = noQuery.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sqlite:")) {
            String file = noQuery.substring("sqlite:".length());
            if (file.startsWith("//")) file = file.substring(2);
            if (file.isBlank() || file.contains(":memory:") || file.startsWith("file::memory")) return Optional.empty();
            if (file.startsWith("file:")) file = file.substring(5);
            return Optional.of("sqlite:" + Path.of(file).toAbsolutePath().normalize());
        }
        for (String scheme : new String[] {"postgresql:", "pgmq:", "postgres:"}) {
            if (lower.startsWith(scheme)) {
                URI uri = URI.create("pg:" + noQuery.substring(scheme.length()));
                String host = uri.getHost() == null ? "localhost" : uri.getHost().toLowerCase(Locale.ROOT);
                if (LOOPBACK.contains(host)) host = "localhost";
                int port = uri.getPort() < 0 ? 5432 : uri.getPort();
                String db = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
                return Optional.of("pg:" + host + ":" + port + "/" + db);
            }
        }
        return Optional.empty();
    }
}
