package dev.drover.libsql;

import dev.drover.spi.Backend;
import dev.drover.spi.BackendProvider;
import dev.drover.spi.DroverUrl;

import java.util.Set;

/** Opens {@code libsql:} URLs: a local file, a remote database over Hrana, or an embedded replica (see {@link LibsqlBackends}). */
public final class LibsqlBackendProvider implements BackendProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("libsql");
    }

    @Override
    public Backend open(DroverUrl url) {
        return LibsqlBackends.open(url);
    }
}
