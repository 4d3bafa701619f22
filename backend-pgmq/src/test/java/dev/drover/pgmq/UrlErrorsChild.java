package dev.drover.pgmq;

import dev.drover.api.QueueName;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;

/**
 * Opens each URL given as an argument, counts a queue on it, and closes it, ignoring every failure: run by
 * {@link PgmqUrlTest} in a JVM of its own with every logger at its most verbose, to show what reaches the logs.
 */
public final class UrlErrorsChild {
    private UrlErrorsChild() {
    }

    public static void main(String[] urls) {
        for (String url : urls) {
            try (Backend backend = Backends.open(url)) {
                backend.counts(QueueName.of("url_errors_child"));
            } catch (RuntimeException ignored) {
                // what the exceptions say is checked in the test's own JVM; here only the logs count
            }
        }
        System.out.println("done " + urls.length);
    }
}
