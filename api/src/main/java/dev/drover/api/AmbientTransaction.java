package dev.drover.api;

import java.sql.Connection;

/**
 * The application's own JDBC transaction that a push joins when it is given no {@link Connection}: a framework's
 * transaction bound to the calling thread, such as Spring's {@code @Transactional} (the Spring Boot starter binds one).
 * Bound with {@link Drover#joinTransactions(AmbientTransaction)}; without one, a push runs in a transaction of its own.
 *
 * <p>A push that joins is {@link TaskQueue#push(Object, TaskOptions, Connection)} on that connection: its tasks exist if
 * and only if the application commits. So the transaction must be on the Drover's own database, and the backend must
 * declare {@link Capability#TRANSACTIONAL_PUSH}. A push with a unique key never joins: its key is checked and taken in
 * the push's own transaction.
 */
public interface AmbientTransaction {
    /** The connection of the transaction the calling thread is in, or null when it is in none. */
    Connection current();

    /** Gives back a connection {@link #current()} returned, once the push has used it. */
    default void release(Connection connection) {
    }
}
