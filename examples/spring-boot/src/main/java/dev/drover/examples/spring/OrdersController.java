package dev.drover.examples.spring;

import dev.drover.api.TaskId;
import dev.drover.api.TaskQueue;
import dev.drover.spring.boot.DroverQueues;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

/** Places orders: the order row and its e-mail task commit together, or neither does. */
@RestController
public class OrdersController {
    private final JdbcTemplate jdbc;
    private final TaskQueue<OrderPlaced> emails;

    public OrdersController(JdbcTemplate jdbc, DroverQueues queues) {
        this.jdbc = jdbc;
        this.emails = queues.get("order_emails", OrderPlaced.class);
    }

    /** An order to place; {@code declined} makes its payment fail after the task was pushed, to show the rollback. */
    public record NewOrder(String email, Boolean declined) { }

    // region place
    @PostMapping("/orders")
    @Transactional
    public Map<String, String> place(@RequestBody NewOrder order) {
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO example_orders (id, email) VALUES (?, ?)", id, order.email());
        TaskId task = emails.push(new OrderPlaced(id, order.email()));   // joins this transaction
        if (Boolean.TRUE.equals(order.declined())) throw new PaymentDeclined(id, task);   // rolls back both
        return Map.of("order", id, "task", task.value());
    }
    // endregion place

    /** The payment failed: the transaction rolls back. */
    public static final class PaymentDeclined extends RuntimeException {
        final String order;
        final TaskId task;

        PaymentDeclined(String order, TaskId task) {
            super("payment declined for order " + order);
            this.order = order;
            this.task = task;
        }
    }

    @ExceptionHandler(PaymentDeclined.class)
    ResponseEntity<Map<String, String>> declined(PaymentDeclined e) {
        return ResponseEntity.status(HttpStatus.PAYMENT_REQUIRED).body(Map.of("error", e.getMessage(), "order", e.order, "rolledBackTask", e.task.value()));
    }
}
