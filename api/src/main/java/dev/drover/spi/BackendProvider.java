package dev.drover.spi;

import java.util.Set;

/**
 * Opens backends for URL schemes. Registered in {@code META-INF/services/dev.drover.spi.BackendProvider} and
 * found with {@link java.util.ServiceLoader}, so adding a backend is adding a jar.
 */
public interface BackendProvider {
    /** The URL schemes this provider opens, lower case, without the colon: {@code "sqlite"}. */
    Set<String> schemes();

    /** Opens (and sets up, idempotently) the storage at {@code url}. Throws {@link dev.drover.api.ConfigurationException} for a malformed URL. */
    Backend open(DroverUrl url);
}
