package dev.drover.pgmq;

import dev.drover.spi.Backend;
import dev.drover.spi.BackendProvider;
import dev.drover.spi.DroverUrl;

import java.util.Set;

/**
 * Opens {@code pgmq://user:password@host:port/database}, and the same as {@code postgresql://} or
 * {@code postgres://}, with the parameters of {@link PgmqOptions} ({@code mode}, {@code poolSize}, {@code wakeups},
 * {@code defaultMaxAttempts}) and any pgjdbc connection property ({@code sslmode=require}, ...).
 */
public final class PgmqBackendProvider implements BackendProvider {
    @Override
    public Set<String> schemes() {
        return PostgresUrl.SCHEMES;
    }

    @Override
    public Backend open(DroverUrl url) {
        return PgmqBackend.open(url);
    }
}
