package dev.drover.benchmarks;

import dev.drover.api.Drover;

import java.nio.file.Path;

/**
 * Drover on one backend. Every scenario applies. Subclasses say how a run's backend is opened and cleaned up:
 * {@link SqliteTarget}, {@link LibsqlTarget}, {@link PgmqTarget}, {@link UrlTarget}.
 */
public abstract class DroverTarget implements Target {
    private final String id;

    protected DroverTarget(String id) {
        this.id = id;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public abstract DroverSession open() throws Exception;

    /** Opens {@code url}; when that fails, runs {@code cleanup} (with no queues) before rethrowing. */
    static DroverSession open(String url, DroverSession.Cleanup cleanup) throws Exception {
        Drover drover;
        try {
            drover = Drover.open(url);
        } catch (RuntimeException e) {
            cleanup.after(java.util.List.of());
            throw e;
        }
        return new DroverSession(drover, url, cleanup);
    }

    /** A cleanup that deletes {@code dir}. */
    static DroverSession.Cleanup deleting(Path dir) {
        return queues -> TempDirs.delete(dir);
    }
}
