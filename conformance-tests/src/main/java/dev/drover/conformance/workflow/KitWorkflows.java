package dev.drover.conformance.workflow;

import dev.drover.api.DoNotRetryException;
import dev.drover.workflow.StepContext;
import dev.drover.workflow.StepPolicy;
import dev.drover.workflow.Workflow;
import tools.jackson.core.type.TypeReference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * The workflows the kit's rules run. The parent test and the child JVMs of the crash rules build them with the same
 * factory, so both run the same definition. Each step reports what it did to a {@link Recorder} (its side effect), and
 * some pass through a {@link Gate} first, where a test can hold them.
 */
public final class KitWorkflows {
    private KitWorkflows() {
    }

    /** Where steps report their side effects. Implementations are thread-safe. */
    @FunctionalInterface
    public interface Recorder {
        void record(String event);
    }

    /** Where a step may be held before its side effect: called with the node and the element index (-1 for a step). */
    @FunctionalInterface
    public interface Gate {
        Gate OPEN = (node, element) -> { };

        void pass(String node, int element) throws Exception;
    }

    // ---- F1: the order pipeline: four steps, one filter, one delay ----

    public record Line(String sku, int quantity) { }

    public record Order(String id, String email, List<Line> lines) { }

    public record Payment(String orderId, String email, long cents, List<Line> lines) { }

    public record Reservation(String orderId, String email, String sku, int quantity) { }

    public record Shipment(String orderId, String email, List<String> items, String tracking) { }

    public record Receipt(String orderId, String email, String tracking, List<String> items) { }

    /** Lines whose sku starts with this are out of stock: the filter drops them. */
    public static final String OUT_OF_STOCK = "oos-";

    public static Workflow<Order, Receipt> orderPipeline(String name, Duration delay, Recorder recorder) {
        return Workflow.sequence(name, Order.class)
                .then("charge_card", Payment.class, order -> {
                    recorder.record("charge_card " + order.id());
                    long cents = order.lines().stream().mapToLong(l -> 250L * l.quantity()).sum();
                    return new Payment(order.id(), order.email(), cents, order.lines());
                })
                .then("reserve_stock", new TypeReference<List<Reservation>>() { }, payment -> {
                    recorder.record("reserve_stock " + payment.orderId());
                    return payment.lines().stream().map(l -> new Reservation(payment.orderId(), payment.email(), l.sku(), l.quantity())).toList();
                })
                .filter("in_stock", Reservation.class, reservation -> {
                    boolean available = !reservation.sku().startsWith(OUT_OF_STOCK);
                    recorder.record("in_stock " + reservation.sku());
                    return available;
                })
                .delay(delay)
                .then("dispatch", Shipment.class, reservations -> {
                    recorder.record("dispatch " + reservations.size());
                    Reservation first = reservations.getFirst();
                    return new Shipment(first.orderId(), first.email(), reservations.stream().map(Reservation::sku).toList(),
                            "track-" + first.orderId());
                })
                .then("email_customer", Receipt.class, shipment -> {
                    recorder.record("email_customer " + shipment.email());
                    return new Receipt(shipment.orderId(), shipment.email(), shipment.tracking(), shipment.items());
                })
                .defaultPolicy(StepPolicy.fixed(3, Duration.ofMillis(50)))
                .build();
    }

    // ---- F2: a fan-out over many elements with a gather ----

    public record Summary(List<Integer> values, long sum) { }

    /** {@code range} makes 0..n-1; {@code square} fans out, giving [i, i*i] per element; {@code collect} gathers them. */
    public static Workflow<Integer, Summary> fanOut(String name, Recorder recorder) {
        return Workflow.sequence(name, Integer.class)
                .then("range", new TypeReference<List<Integer>>() { }, n -> {
                    recorder.record("range " + n);
                    return IntStream.range(0, n).boxed().toList();
                })
                .flatMap("square", Integer.class, Integer.class, i -> {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(4)); // so elements finish out of order
                    recorder.record("square " + i);
                    return List.of(i, i * i);
                })
                .then("collect", Summary.class, values -> {
                    recorder.record("collect " + values.size());
                    return new Summary(values, values.stream().mapToLong(Integer::longValue).sum());
                })
                .defaultPolicy(StepPolicy.fixed(3, Duration.ofMillis(50)))
                .build();
    }

    // ---- F3: a diamond, and a join of three ----

    /** a = x+1; b = a*2 and c = a*3 in parallel; d joins (c, b), declared in that order. */
    public static Workflow<Integer, String> diamond(String name, Recorder recorder) {
        return Workflow.graph(name, Integer.class)
                .entry("a", Integer.class, x -> {
                    recorder.record("a " + x);
                    return x + 1;
                })
                .node("b", Integer.class).from("a", Integer.class).run(a -> {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5));
                    recorder.record("b " + a);
                    return a * 2;
                })
                .node("c", Integer.class).from("a", Integer.class).run(a -> {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5));
                    recorder.record("c " + a);
                    return a * 3;
                })
                .node("d", String.class).from("c", Integer.class).and("b", Integer.class).run((c, b) -> {
                    recorder.record("d " + run());
                    return "c=" + c + " b=" + b;
                })
                .defaultPolicy(StepPolicy.fixed(3, Duration.ofMillis(50)))
                .build("d", String.class);
    }

    /** x, y and z are entries, each passing {@code meet} (where the test makes them wait for one another); j joins (z, x, y). */
    public static Workflow<String, String> join3(String name, Recorder recorder, Gate meet) {
        return Workflow.graph(name, String.class)
                .entry("x", String.class, in -> entry("x", in, recorder, meet))
                .entry("y", String.class, in -> entry("y", in, recorder, meet))
                .entry("z", String.class, in -> entry("z", in, recorder, meet))
                .node("j", String.class).from("z", String.class).and("x", String.class).and("y", String.class)
                .run((z, x, y) -> {
                    recorder.record("j " + run());
                    return z + "," + x + "," + y;
                })
                .defaultPolicy(StepPolicy.fixed(3, Duration.ofMillis(50)))
                .build("j", String.class);
    }

    private static String entry(String node, String in, Recorder recorder, Gate meet) throws Exception {
        meet.pass(node, -1);
        recorder.record(node + " " + run());
        return node + ":" + in;
    }

    // ---- F4: a run a crash interrupts ----

    /**
     * {@code prepare} makes 0..n-1; {@code work} fans out (each element passes {@code gate}, then records); {@code total}
     * sums; {@code report} words it. Every side effect is recorded after the gate, so an attempt held there and killed
     * records nothing.
     */
    public static Workflow<Integer, String> crashable(String name, Recorder recorder, Gate gate) {
        return Workflow.sequence(name, Integer.class)
                .then("prepare", new TypeReference<List<Integer>>() { }, n -> {
                    gate.pass("prepare", -1);
                    recorder.record("prepare");
                    return IntStream.range(0, n).boxed().toList();
                })
                .flatMap("work", Integer.class, Integer.class, i -> {
                    gate.pass("work", i);
                    recorder.record("work " + i);
                    return List.of(i * 10);
                })
                .then("total", Integer.class, values -> {
                    gate.pass("total", -1);
                    recorder.record("total");
                    return values.stream().mapToInt(Integer::intValue).sum();
                })
                .then("report", String.class, total -> {
                    gate.pass("report", -1);
                    recorder.record("report");
                    return "total " + total;
                })
                .defaultPolicy(StepPolicy.fixed(5, Duration.ofMillis(50)))
                .build();
    }

    // ---- F5: a step that keeps failing ----

    /** {@code first}, then {@code flaky} (3 attempts, 50 ms apart), which always throws, then {@code after}. */
    public static Workflow<String, String> failing(String name, Recorder recorder, boolean doNotRetry) {
        return Workflow.sequence(name, String.class)
                .then("first", String.class, in -> {
                    recorder.record("first");
                    return in + "!";
                })
                .then("flaky", String.class, in -> {
                    int attempt = StepContext.current().orElseThrow().attempt();
                    recorder.record("flaky " + attempt);
                    if (doNotRetry) throw new DoNotRetryException("card declined for good (attempt " + attempt + ")");
                    throw new IllegalStateException("payment service down (attempt " + attempt + ")");
                })
                .policy(StepPolicy.fixed(3, Duration.ofMillis(50)))
                .then("after", String.class, in -> {
                    recorder.record("after");
                    return in;
                })
                .build();
    }

    // ---- F6: runs to cancel ----

    /** {@code first}, then {@code hold} (which passes {@code gate}, where the test holds it), then {@code never}. */
    public static Workflow<String, String> holding(String name, Recorder recorder, Gate gate) {
        return Workflow.sequence(name, String.class)
                .then("first", String.class, in -> {
                    recorder.record("first");
                    return in;
                })
                .then("hold", String.class, in -> {
                    gate.pass("hold", -1);
                    recorder.record("hold");
                    return in;
                })
                .then("never", String.class, in -> {
                    recorder.record("never");
                    return in;
                })
                .build();
    }

    /** {@code first}, then, {@code delay} later, {@code later}. */
    public static Workflow<String, String> delayed(String name, Recorder recorder, Duration delay) {
        return Workflow.sequence(name, String.class)
                .then("first", String.class, in -> {
                    recorder.record("first");
                    return in;
                })
                .delay(delay)
                .then("later", String.class, in -> {
                    recorder.record("later");
                    return in;
                })
                .build();
    }

    private static String run() {
        return StepContext.current().map(c -> c.run().value()).orElse("?");
    }

    /** The expected side effects of {@link #crashable} over {@code n} elements, one each. */
    public static List<String> crashableEffects(int n) {
        List<String> all = new ArrayList<>();
        all.add("prepare");
        for (int i = 0; i < n; i++) all.add("work " + i);
        all.add("total");
        all.add("report");
        return all;
    }
}
