package dev.drover.examples;

import dev.drover.api.Drover;
import dev.drover.api.worker.Worker;
import dev.drover.workflow.NodeState;
import dev.drover.workflow.NodeStatus;
import dev.drover.workflow.RunId;
import dev.drover.workflow.RunState;
import dev.drover.workflow.RunStatus;
import dev.drover.workflow.StepContext;
import dev.drover.workflow.StepPolicy;
import dev.drover.workflow.Workflow;
import dev.drover.workflow.WorkflowClient;
import tools.jackson.core.type.TypeReference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Order fulfilment as a workflow on an embedded SQLite file: charge the card, reserve stock, keep the lines that are in
 * stock (a filter: one task per line), wait before dispatch (a delay), dispatch, email the customer. Every step is a
 * durable task; each step's successors are pushed in the same transaction as its completion. The payment service fails
 * the first attempt of one order, which its step's policy retries. Set DROVER_URL to run it on another backend.
 */
public final class OrderPipeline {
    public record Line(String sku, int quantity) { }

    public record Order(String id, String email, List<Line> lines) { }

    public record Payment(String orderId, String email, String chargeId, long cents, List<Line> lines) { }

    public record Reservation(String orderId, String email, String sku, int quantity) { }

    public record Shipment(String orderId, String email, List<String> items, String tracking) { }

    public record Receipt(String orderId, String email, String tracking, String message) { }

    private static final Map<String, Integer> STOCK = Map.of("book", 10, "pen", 100, "lamp", 0, "mug", 4);
    private static final Map<String, Long> PRICES = Map.of("book", 1_999L, "pen", 250L, "lamp", 4_500L, "mug", 899L);

    public static void main(String[] args) throws Exception {
        String url = System.getenv("DROVER_URL");
        if (url == null || url.isBlank()) {
            Path file = Path.of("target", "drover-orders.db").toAbsolutePath();
            Files.createDirectories(file.getParent());
            for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(Path.of(file + suffix));
            url = "sqlite:" + file;
        }
        System.out.println("Order pipeline on " + url);

        AtomicInteger chargeCalls = new AtomicInteger();
        Map<String, Boolean> declinedOnce = new ConcurrentHashMap<>();

        Workflow<Order, Receipt> fulfilment = Workflow.sequence("fulfil_order", Order.class)
                .then("charge_card", Payment.class, order -> {
                    chargeCalls.incrementAndGet();
                    // The idempotency key is the same on every attempt of this step of this run: a real payment
                    // provider would charge once however often the step is retried.
                    String key = StepContext.current().orElseThrow().idempotencyKey();
                    if (order.id().equals("o-1002") && declinedOnce.putIfAbsent(order.id(), true) == null) {
                        throw new IllegalStateException("payment service timed out");
                    }
                    long cents = order.lines().stream().mapToLong(l -> PRICES.get(l.sku()) * l.quantity()).sum();
                    return new Payment(order.id(), order.email(), "ch_" + Integer.toHexString(key.hashCode()), cents, order.lines());
                })
                .policy(StepPolicy.fixed(3, Duration.ofMillis(200)))
                .then("reserve_stock", new TypeReference<List<Reservation>>() { }, payment -> payment.lines().stream()
                        .map(l -> new Reservation(payment.orderId(), payment.email(), l.sku(), l.quantity()))
                        .toList())
                .filter("in_stock", Reservation.class, r -> STOCK.get(r.sku()) >= r.quantity())
                .delay(Duration.ofMillis(500))               // let the warehouse batch the picks
                .then("dispatch", Shipment.class, reserved -> {
                    Reservation first = reserved.getFirst();
                    List<String> items = reserved.stream().map(r -> r.quantity() + " x " + r.sku()).toList();
                    return new Shipment(first.orderId(), first.email(), items, "TRK-" + first.orderId().substring(2));
                })
                .then("email_customer", Receipt.class, shipment -> new Receipt(shipment.orderId(), shipment.email(), shipment.tracking(),
                        "Your order " + shipment.orderId() + " is on its way: " + String.join(", ", shipment.items())))
                .build();
        System.out.println(fulfilment);

        try (Drover drover = Drover.open(url)) {
            WorkflowClient<Order, Receipt> orders = WorkflowClient.of(drover, fulfilment);
            System.out.println("successors pushed in the completion's transaction: " + orders.atomicSuccessors());
            Worker<byte[]> worker = orders.worker()
                    .concurrency(8)
                    .pollInterval(Duration.ofMillis(20), Duration.ofMillis(250))
                    .start();
            try {
                List<Order> incoming = List.of(
                        new Order("o-1001", "ada@example.com", List.of(new Line("book", 2), new Line("lamp", 1), new Line("pen", 5))),
                        new Order("o-1002", "bob@example.com", List.of(new Line("mug", 4), new Line("pen", 1))),
                        new Order("o-1003", "cyd@example.com", List.of(new Line("mug", 6), new Line("book", 1))));
                List<RunId> runs = new ArrayList<>();
                Map<RunId, String> orderOf = new ConcurrentHashMap<>();
                for (Order order : incoming) {
                    RunId run = orders.start(order);
                    runs.add(run);
                    orderOf.put(run, order.id());
                }
                System.out.println("started " + runs.size() + " runs");

                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                String last = "";
                while (true) {
                    List<RunState<Receipt>> states = runs.stream().map(orders::state).toList();
                    String line = states.stream().map(s -> progress(orderOf.get(s.run()), s)).collect(Collectors.joining("  |  "));
                    if (!line.equals(last)) System.out.println("  progress: " + line);
                    last = line;
                    if (states.stream().allMatch(s -> s.status().isTerminal())) break;
                    if (System.nanoTime() > deadline) {
                        System.out.println("the runs did not finish within 60 s");
                        System.exit(1);
                    }
                    Thread.sleep(100); // progress display cadence, not synchronisation
                }

                System.out.println();
                System.out.println("Final state");
                boolean allSucceeded = true;
                for (RunId run : runs) {
                    RunState<Receipt> state = orders.state(run);
                    allSucceeded &= state.status() == RunStatus.SUCCEEDED;
                    System.out.println("  order " + orderOf.get(run) + " (run " + run + "): " + state.status());
                    for (NodeState node : state.nodes().values()) {
                        List<String> notes = new ArrayList<>();
                        if (node.elements() > 0) notes.add(node.elementsDone() + "/" + node.elements() + " elements");
                        if (node.attempts() > 1) notes.add(node.attempts() + " attempts");
                        System.out.printf("    %-15s %s%s%n", node.node(), node.status(), notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")");
                    }
                    if (state.result() != null) System.out.println("    receipt: " + state.result().message());
                }
                System.out.println("  card charges attempted: " + chargeCalls.get() + " (one retry after a timeout)");
                System.out.println(allSucceeded ? "all orders fulfilled" : "some orders were not fulfilled");
                if (!allSucceeded) System.exit(1);
            } finally {
                worker.close();
            }
        }
    }

    /** The order and its first node not done yet, or the run's final status. */
    private static String progress(String order, RunState<Receipt> state) {
        if (state.status().isTerminal()) return order + " " + state.status();
        String current = state.nodes().values().stream()
                .filter(n -> n.status() != NodeStatus.DONE)
                .findFirst()
                .map(n -> n.node() + " " + n.status() + (n.elements() > 0 ? " " + n.elementsDone() + "/" + n.elements() : "")
                        + (n.status() == NodeStatus.PENDING && n.error() != null ? " (retrying: " + firstLine(n.error()) + ")" : ""))
                .orElse("");
        return order + " " + current;
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        int cause = line.lastIndexOf(": ");
        return cause < 0 ? line : line.substring(cause + 2);
    }
}
