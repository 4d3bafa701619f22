package dev.drover.benchmarks;

/**
 * Notices an {@link OutOfMemoryError} on any thread (a worker's poller, a pool's thread), not only on the run's own,
 * so that the run it happened in is FAILED with that message rather than stalling with an unclear one. Installed as
 * the default uncaught-exception handler; other errors go on to the previous handler.
 */
final class OutOfMemoryWatch {
    private static volatile String seen;
    private static boolean installed;

    private OutOfMemoryWatch() {
    }

    static synchronized void install() {
        if (installed) return;
        installed = true;
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof OutOfMemoryError && seen == null) seen = "OutOfMemoryError on thread " + thread.getName() + ": " + error.getMessage();
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace();
            }
        });
    }

    /** The first OutOfMemoryError seen on another thread since the last call, or null; clears it. */
    static String take() {
        String s = seen;
        seen = null;
        return s;
    }
}
