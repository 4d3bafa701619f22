package dev.drover.sqlite.mutants;

import dev.drover.api.ConfigurationException;
import dev.drover.spi.Backend;
import dev.drover.spi.BackendProvider;
import dev.drover.spi.DroverUrl;
import dev.drover.sqlite.SqliteBackend;
import dev.drover.sqlite.SqliteOptions;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

/**
 * Opens {@code sqlite-mutant:<mutation>:<file>}: the SQLite backend on {@code <file>}, broken as {@link Mutation}
 * says. Registered for tests only (src/test/resources), so child JVMs the kit starts find it too.
 */
public final class MutantBackendProvider implements BackendProvider {
    static final String SCHEME = "sqlite-mutant";

    static String url(Mutation mutation, Path file) {
        return SCHEME + ":" + mutation.urlName() + ":" + file;
    }

    /** The database file of a URL {@link #url} made. */
    static Path file(String url) {
        String location = url.substring(SCHEME.length() + 1);
        return Path.of(location.substring(location.indexOf(':') + 1));
    }

    @Override
    public Set<String> schemes() {
        return Set.of(SCHEME);
    }

    @Override
    public Backend open(DroverUrl url) {
        String location = url.location();
        int colon = location.indexOf(':');
        if (colon < 0) throw new ConfigurationException("expected " + SCHEME + ":<mutation>:<file>, got " + url.redacted());
        Mutation mutation = Mutation.ofUrlName(location.substring(0, colon));
        Path file = Path.of(location.substring(colon + 1));
        SqliteBackend real = SqliteBackend.open(file);
        SqliteBackend claimer = mutation == Mutation.CLAIMS_EARLY
                ? SqliteBackend.open(file, SqliteOptions.defaults(), Clock.offset(Clock.systemUTC(), Mutation.CLAIM_EARLY_BY))
                : null;
        return new MutantBackend(mutation, real, claimer);
    }
}
