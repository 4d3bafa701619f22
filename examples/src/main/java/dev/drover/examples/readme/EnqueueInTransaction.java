package dev.drover.examples.readme;

import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The README's "Enqueue with your own transaction" snippet, compiled: the region between the markers is the block. */
public final class EnqueueInTransaction {
    /** An order of the application. */
    public record Order(String id) { }

    /** The task pushed when an order is placed. */
    public record OrderPlaced(String orderId) { }

    private EnqueueInTransaction() {
    }

    /** Stores {@code order} and pushes its task in one transaction of the application's own. */
    public static void place(TaskQueue<OrderPlaced> orders, Order order) throws SQLException {
        // region push-in-transaction
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:jobs.db")) {
            c.setAutoCommit(false);
            insertOrder(c, order);
            orders.push(new OrderPlaced(order.id()), TaskOptions.defaults(), c);
            c.commit();
        }
        // endregion push-in-transaction
    }

    private static void insertOrder(Connection c, Order order) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO orders (id) VALUES (?)")) {
            insert.setString(1, order.id());
            insert.executeUpdate();
        }
    }
}
