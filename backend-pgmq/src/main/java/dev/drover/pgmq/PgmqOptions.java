package dev.drover.pgmq;

import dev.drover.api.ConfigurationException;
import dev.drover.spi.DroverUrl;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the PGMQ backend.
 *
 * @param mode              {@link PgmqMode}; the URL parameter {@code mode} ({@code auto}, {@code extension}, {@code plain})
 * @param poolSize          connections in the backend's pool (URL {@code poolSize}, default 10); unused with an
 *                          application {@code DataSource}
 * @param wakeups           LISTEN/NOTIFY on a dedicated connection (URL {@code wakeups}, default true)
 * @param defaultMaxAttempts the attempt limit of a message that carries none (one sent by another PGMQ client)
 */
public record PgmqOptions(PgmqMode mode, int poolSize, boolean wakeups, int defaultMaxAttempts) {
    /** The URL parameters Drover reads; every other parameter must be a pgjdbc connection property. */
    static final Set<String> PARAMS = Set.of("mode", "poolSize", "wakeups", "defaultMaxAttempts");

    public PgmqOptions {
        Objects.requireNonNull(mode, "mode");
        if (poolSize < 1 || poolSize > 1000) {
            throw new ConfigurationException("poolSize must be from 1 to 1000 (got " + poolSize + ")");
        }
        if (defaultMaxAttempts < 1) {
            throw new ConfigurationException("defaultMaxAttempts must be at least 1 (got " + defaultMaxAttempts + ")");
        }
    }

    public static PgmqOptions defaults() {
        return new PgmqOptions(PgmqMode.AUTO, 10, true, 20);
    }

    public PgmqOptions mode(PgmqMode value) {
        return new PgmqOptions(value, poolSize, wakeups, defaultMaxAttempts);
    }

    public PgmqOptions poolSize(int value) {
        return new PgmqOptions(mode, value, wakeups, defaultMaxAttempts);
    }

    public PgmqOptions wakeups(boolean value) {
        return new PgmqOptions(mode, poolSize, value, defaultMaxAttempts);
    }

    static PgmqOptions fromUrl(DroverUrl given) {
        DroverUrl url = PostgresUrl.classified(given);
        PgmqOptions defaults = defaults();
        String modeText = url.params().getOrDefault("mode", "auto").strip().toLowerCase(Locale.ROOT);
        PgmqMode mode = switch (modeText) {
            case "auto" -> PgmqMode.AUTO;
            case "extension" -> PgmqMode.EXTENSION;
            case "plain" -> PgmqMode.PLAIN;
            default -> throw new ConfigurationException("parameter mode in backend URL " + url.redacted()
                    + " must be auto, extension or plain (got \"" + modeText + "\")");
        };
        String wakeupsText = url.params().getOrDefault("wakeups", "true").strip().toLowerCase(Locale.ROOT);
        if (!wakeupsText.equals("true") && !wakeupsText.equals("false")) {
            throw new ConfigurationException("parameter wakeups in backend URL " + url.redacted()
                    + " must be true or false (got \"" + wakeupsText + "\")");
        }
        int poolSize = url.intParam("poolSize", defaults.poolSize());
        int defaultMaxAttempts = url.intParam("defaultMaxAttempts", defaults.defaultMaxAttempts());
        try {
            return new PgmqOptions(mode, poolSize, Boolean.parseBoolean(wakeupsText), defaultMaxAttempts);
        } catch (ConfigurationException e) {
            throw new ConfigurationException("backend URL " + url.redacted() + ": " + e.getMessage());
        }
    }
}
