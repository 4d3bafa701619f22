package dev.drover.sqlite;

import dev.drover.spi.Backend;
import dev.drover.spi.BackendProvider;
import dev.drover.spi.DroverUrl;

import java.util.Set;

/**
 * Opens {@code sqlite:} URLs: {@code sqlite:jobs.db} (relative to the working directory),
 * {@code sqlite:/srv/app/jobs.db}, {@code sqlite::memory:}; parameters {@code busyTimeout} (ms, default 10000),
 * {@code synchronous} (OFF, NORMAL, FULL; default NORMAL) and {@code readers} (default 2). The folder of the file
 * must exist; the file is created if missing.
 */
public final class SqliteBackendProvider implements BackendProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("sqlite");
    }

    @Override
    public Backend open(DroverUrl url) {
        return SqliteBackend.open(url);
    }
}
