package dev.drover.examples.readme;

import dev.drover.api.Drover;
import dev.drover.workflow.RunId;
import dev.drover.workflow.RunState;
import dev.drover.workflow.StepPolicy;
import dev.drover.workflow.Workflow;
import dev.drover.workflow.WorkflowClient;
import tools.jackson.core.type.TypeReference;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The README's "Workflows" snippets, compiled: each region between the markers is a block of the README. The types
 * and services here are the application's, reduced to what the snippets call.
 */
public final class Workflows {
    /** An order. */
    public record Order(String id) { }

    /** A charged card. */
    public record Payment(String orderId) { }

    /** Stock reserved for one line of an order. */
    public record Reservation(String sku, boolean available) { }

    /** A dispatched parcel. */
    public record Shipment(String tracking) { }

    /** What the customer is told. */
    public record Receipt(String message) { }

    /** A report request. */
    public record Request(String userId) { }

    /** A user. */
    public record User(String id) { }

    /** Current prices. */
    public record Prices(double factor) { }

    /** A user's orders. */
    public record Orders(List<Order> all) { }

    /** The report. */
    public record Report(User user, Orders orders, Prices prices) {
        /** The report of {@code user}'s {@code orders} at {@code prices}. */
        public static Report of(User user, Orders orders, Prices prices) {
            return new Report(user, orders, prices);
        }
    }

    /** Charges cards. */
    public interface Payments {
        /** Charges the card of {@code order}. */
        Payment charge(Order order);
    }

    /** Reserves stock. */
    public interface Stock {
        /** Reserves every line of the paid order. */
        List<Reservation> reserve(Payment payment);
    }

    /** Sends parcels. */
    public interface Warehouse {
        /** Dispatches the reserved lines. */
        Shipment dispatch(List<Reservation> reserved);
    }

    /** Sends mail. */
    public interface Mailer {
        /** Confirms the shipment to the customer. */
        Receipt confirm(Shipment shipment);
    }

    /** Loads users. */
    public interface Users {
        /** The user {@code id}. */
        User load(String id);
    }

    /** Knows prices. */
    public interface Pricing {
        /** Today's prices. */
        Prices current();
    }

    /** Finds orders. */
    public interface OrderService {
        /** The orders of {@code user}. */
        Orders of(User user);
    }

    private Workflows() {
    }

    /** The order-fulfilment sequence, started and awaited. */
    public static Receipt fulfil(Drover drover, Order order, Payments payments, Stock stock, Warehouse warehouse, Mailer mailer)
            throws InterruptedException, TimeoutException {
        // region sequence
        Workflow<Order, Receipt> fulfilment = Workflow.sequence("fulfil_order", Order.class)
                .then("charge_card", Payment.class, placed -> payments.charge(placed)).policy(StepPolicy.fixed(3, Duration.ofSeconds(5)))
                .then("reserve_stock", new TypeReference<List<Reservation>>() { }, payment -> stock.reserve(payment))
                .filter("in_stock", Reservation.class, r -> r.available())   // one task per element; survivors gathered in order
                .delay(Duration.ofMinutes(10))                                 // the next step is due no earlier than 10 min later
                .then("dispatch", Shipment.class, reserved -> warehouse.dispatch(reserved))
                .then("email_customer", Receipt.class, shipment -> mailer.confirm(shipment))
                .build();

        WorkflowClient<Order, Receipt> orders = WorkflowClient.of(drover, fulfilment);
        orders.worker().concurrency(8).start();                      // in every process that runs steps
        RunId run = orders.start(order);
        RunState<Receipt> state = orders.state(run);                 // per node: PENDING/RUNNING/DONE/FAILED/CANCELLED, outputs, errors
        Receipt receipt = orders.await(run, Duration.ofMinutes(30)); // or orders.cancel(run)
        // endregion sequence
        System.out.println(state.status());
        return receipt;
    }

    /** The report graph. */
    public static Workflow<Request, Report> report(Users users, Pricing pricing, OrderService orderService) {
        // region graph
        Workflow<Request, Report> report = Workflow.graph("report", Request.class)
                .entry("user", User.class, req -> users.load(req.userId()))
                .entry("prices", Prices.class, req -> pricing.current())
                .node("orders", Orders.class).from("user", User.class).run(user -> orderService.of(user))
                .node("report", Report.class).from("user", User.class).and("orders", Orders.class).and("prices", Prices.class)
                        .run((user, orders, prices) -> Report.of(user, orders, prices))
                .build("report", Report.class);
        // endregion graph
        return report;
    }
}
