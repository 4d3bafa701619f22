package dev.drover.sqlite;

import dev.drover.api.ConfigurationException;
import dev.drover.spi.DroverUrl;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How a SQLite database is opened; each has a {@code sqlite:} URL parameter of the same name.
 *
 * @param busyTimeoutMillis how long a write waits for another process's write lock before it fails (transiently)
 * @param synchronous how hard SQLite flushes to disk: {@code NORMAL} (default; with WAL a power cut may lose the
 *                    last commits but never corrupts), {@code FULL} (every commit durable), {@code OFF} (tests only)
 * @param readers connections used for reads beside the one writer (inspection); at least 1
 */
public record SqliteOptions(int busyTimeoutMillis, Synchronous synchronous, int readers) {
    public static final int DEFAULT_BUSY_TIMEOUT_MILLIS = 10_000;
    public static final int DEFAULT_READERS = 2;
    public static final int MAX_READERS = 64;
    /** The URL parameters a {@code sqlite:} URL takes. */
    public static final Set<String> URL_PARAMS = Set.of("busyTimeout", "synchronous", "readers");

    public enum Synchronous { OFF, NORMAL, FULL }

    public SqliteOptions {
        Objects.requireNonNull(synchronous, "synchronous");
        if (busyTimeoutMillis < 0) {
            throw new ConfigurationException("busyTimeout must be 0 or more milliseconds (got " + busyTimeoutMillis + ")");
        }
        if (readers < 1 || readers > MAX_READERS) {
            throw new ConfigurationException("readers must be from 1 to " + MAX_READERS + " (got " + readers + ")");
        }
    }

    public static SqliteOptions defaults() {
        return new SqliteOptions(DEFAULT_BUSY_TIMEOUT_MILLIS, Synchronous.NORMAL, DEFAULT_READERS);
    }

    /** The options in {@code url}'s parameters, defaults for the rest; unknown parameters are refused. */
    public static SqliteOptions fromUrl(DroverUrl given) {
        DroverUrl url = given.showingValuesOf(URL_PARAMS);
        url.requireKnownParams(URL_PARAMS);
        String sync = url.params().get("synchronous");
        Synchronous synchronous = Synchronous.NORMAL;
        if (sync != null) {
            try {
                synchronous = Synchronous.valueOf(sync.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("parameter synchronous in backend URL " + url.redacted()
                        + " must be OFF, NORMAL or FULL (got \"" + sync + "\")");
            }
        }
        int busyTimeout = url.intParam("busyTimeout", DEFAULT_BUSY_TIMEOUT_MILLIS);
        int readers = url.intParam("readers", DEFAULT_READERS);
        try {
            return new SqliteOptions(busyTimeout, synchronous, readers);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(e.getMessage() + " in backend URL " + url.redacted());
        }
    }

    public SqliteOptions busyTimeoutMillis(int millis) {
        return new SqliteOptions(millis, synchronous, readers);
    }

    public SqliteOptions synchronous(Synchronous mode) {
        return new SqliteOptions(busyTimeoutMillis, mode, readers);
    }

    public SqliteOptions readers(int count) {
        return new SqliteOptions(busyTimeoutMillis, synchronous, count);
    }
}
