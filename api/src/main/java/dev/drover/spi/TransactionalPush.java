package dev.drover.spi;

import java.sql.Connection;
import java.util.List;

/**
 * Implemented by backends whose storage the application can reach over JDBC: the push runs on the caller's
 * connection, inside the caller's transaction, so tasks are stored if and only if the caller commits.
 * The backend neither commits nor rolls back that connection.
 */
public interface TransactionalPush {
    void push(List<NewTask> tasks, Connection transaction);
}
