package dev.drover.workflow;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A definition is checked before anything runs, and every error names the node at fault. */
class WorkflowValidationTest {
    record Order(String id) { }

    record Line(String sku, int quantity) { }

    record Payment(String orderId, long cents) { }

    @Test
    @DisplayName("A cycle is refused, naming a node on it and the cycle")
    void cycleIsRefused() {
        assertThatThrownBy(() -> Workflow.graph("cyclic", Order.class)
                .entry("a", String.class, o -> "a")
                .node("b", String.class).from("a", String.class).and("c", String.class).run((a, c) -> a + c)
                .node("c", String.class).from("b", String.class).run(b -> b)
                .node("d", String.class).from("c", String.class).run(c -> c)
                .build("d", String.class))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("workflow 'cyclic'")
                .hasMessageContaining("node 'b' is on a cycle: b -> c -> b");
    }

    @Test
    @DisplayName("A node that depends on itself is a cycle")
    void selfDependencyIsACycle() {
        assertThatThrownBy(() -> Workflow.graph("selfish", Order.class)
                .entry("a", String.class, o -> "a")
                .node("b", String.class).from("a", String.class).and("b", String.class).run((a, b) -> a)
                .build("b", String.class))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("node 'b' is on a cycle: b -> b");
    }

    @Test
    @DisplayName("A graph whose every node has a dependency has no entry, and that is a cycle too")
    void longerCycleIsNamedInDataFlowOrder() {
        assertThatThrownBy(() -> Workflow.graph("ring", Order.class)
                .node("x", String.class).from("z", String.class).run(z -> z)
                .node("y", String.class).from("x", String.class).run(x -> x)
                .node("z", String.class).from("y", String.class).run(y -> y)
                .build("z", String.class))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("node 'x' is on a cycle: x -> y -> z -> x");
    }

    @Test
    @DisplayName("A dependency on a node that does not exist is refused, naming the node and the missing one")
    void missingNodeIsRefused() {
        assertThatThrownBy(() -> Workflow.graph("missing", Order.class)
                .entry("a", String.class, o -> "a")
                .node("d", String.class).from("a", String.class).and("zz", String.class).run((a, z) -> a + z)
                .build("d", String.class))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessage("workflow 'missing': node 'd' depends on 'zz', which is not a node of this workflow (nodes: a, d)");
    }

    @Test
    @DisplayName("A dependency whose output does not fit the declared input is refused, naming the node, the input and both types")
    void typeMismatchIsRefused() {
        assertThatThrownBy(() -> Workflow.graph("typed", Order.class)
                .entry("a", Payment.class, o -> new Payment(o.id(), 100))
                .entry("b", Integer.class, o -> 1)
                .node("d", String.class).from("a", Payment.class).and("b", String.class).run((a, b) -> b)
                .build("d", String.class))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessage("workflow 'typed': node 'd' takes input 2 from 'b' as String, but 'b' outputs Integer");
    }

    @Test
    @DisplayName("Generic inputs are checked by their type arguments too")
    void genericTypeMismatchIsRefused() {
        assertThatThrownBy(() -> Workflow.graph("generic", Order.class)
                .entry("lines", new TypeReference<List<Line>>() { }, o -> List.of())
                .node("total", Long.class).from("lines", new TypeReference<List<Payment>>() { }).run(p -> 0L)
                .build("total", Long.class))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessage("workflow 'generic': node 'total' takes input 1 from 'lines' as List<Payment>, but 'lines' outputs List<Line>");
    }

    @Test
    @DisplayName("An input declared as a supertype (Object, Number, Collection<Line>) accepts the output")
    void supertypesFit() {
        Workflow<Order, Object> ok = Workflow.graph("wide", Order.class)
                .entry("n", Integer.class, o -> 1)
                .entry("lines", new TypeReference<List<Line>>() { }, o -> List.of())
                .node("sum", Number.class).from("n", Number.class).and("lines", new TypeReference<java.util.Collection<Line>>() { })
                .run((n, lines) -> n)
                .node("any", Object.class).from("sum", Object.class).run(s -> s)
                .build("any", Object.class);
        assertThat(ok.nodes()).containsExactly("n", "lines", "sum", "any");
        assertThat(ok.entries()).extracting(NodeDef::name).containsExactly("n", "lines");
        assertThat(ok.dependentsOf("n")).extracting(NodeDef::name).containsExactly("sum");
    }

    @Test
    @DisplayName("A primitive class token is the same as its wrapper")
    void primitivesAreBoxed() {
        Workflow<Order, Integer> ok = Workflow.graph("prim", Order.class)
                .entry("n", int.class, o -> 1)
                .node("m", Integer.class).from("n", Integer.class).run(n -> n + 1)
                .build("m", Integer.class);
        assertThat(ok.resultNode()).isEqualTo("m");
    }

    @Test
    @DisplayName("A filter over something that is not a collection is refused, naming the filter")
    void filterOverNonCollectionIsRefused() {
        assertThatThrownBy(() -> Workflow.sequence("orders", Order.class)
                .then("charge", Payment.class, o -> new Payment(o.id(), 1))
                .filter("in_stock", Line.class, line -> true)
                .build())
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessage("workflow 'orders': node 'in_stock' fans out over elements of Line, but 'charge' is Payment, which is not a collection");
    }

    @Test
    @DisplayName("A filter over a collection of another element type is refused, naming the filter")
    void filterOfWrongElementIsRefused() {
        assertThatThrownBy(() -> Workflow.sequence("orders", Order.class)
                .then("lines", new TypeReference<List<Payment>>() { }, o -> List.of())
                .flatMap("split", Line.class, String.class, line -> List.of(line.sku()))
                .build())
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessage("workflow 'orders': node 'split' fans out over elements of Line, but 'lines' is List<Payment>, whose elements are Payment");
    }

    @Test
    @DisplayName("A sequence checks names: valid, and each used once")
    void namesAreChecked() {
        assertThatThrownBy(() -> Workflow.sequence("orders", Order.class).then("Charge", String.class, o -> "x").build())
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageStartingWith("workflow 'orders': node \"Charge\" has an invalid name");
        assertThatThrownBy(() -> Workflow.sequence("orders", Order.class)
                .then("a", String.class, o -> "x").then("a", String.class, s -> s).build())
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessage("workflow 'orders': node 'a' is declared twice");
        assertThatThrownBy(() -> Workflow.sequence("Orders!", Order.class).then("a", String.class, o -> "x").build())
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageStartingWith("invalid workflow name \"Orders!\"");
        assertThatThrownBy(() -> Workflow.sequence("orders", Order.class).build())
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("has no step");
    }

    @Test
    @DisplayName("A delay must be followed by a step")
    void trailingDelayIsRefused() {
        assertThatThrownBy(() -> Workflow.sequence("orders", Order.class)
                .then("a", String.class, o -> "x").delay(Duration.ofSeconds(1)).build())
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("ends with a delay after step 'a'");
    }

    @Test
    @DisplayName("The result node must exist and its output fit the declared result type")
    void resultNodeIsChecked() {
        assertThatThrownBy(() -> Workflow.graph("g", Order.class).entry("a", String.class, o -> "a").build("b", String.class))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("the result node 'b' is not a node of this workflow");
        assertThatThrownBy(() -> Workflow.graph("g", Order.class).entry("a", String.class, o -> "a").build("a", Integer.class))
                .isInstanceOf(WorkflowDefinitionException.class)
                .hasMessageContaining("the result node 'a' outputs String, which does not fit the declared result type Integer");
    }

    @Test
    @DisplayName("A sequence becomes a chain: each node depends on the one before; delays and policies land on the right node")
    void sequenceShape() {
        StepPolicy three = StepPolicy.fixed(3, Duration.ofMillis(10));
        Workflow<Order, List<String>> wf = Workflow.sequence("orders", Order.class)
                .then("charge", Payment.class, o -> new Payment(o.id(), 1)).policy(three)
                .then("lines", new TypeReference<List<Line>>() { }, p -> List.of())
                .filter("in_stock", Line.class, l -> l.quantity() > 0)
                .delay(Duration.ofSeconds(2))
                .flatMap("skus", Line.class, String.class, l -> List.of(l.sku()))
                .build();
        assertThat(wf.queue().value()).isEqualTo("wf_orders");
        assertThat(wf.nodes()).containsExactly("charge", "lines", "in_stock", "skus");
        assertThat(wf.node("charge").deps()).isEmpty();
        assertThat(wf.node("in_stock").deps()).containsExactly("lines");
        assertThat(wf.node("skus").delay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(wf.node("in_stock").delay()).isZero();
        assertThat(wf.node("charge").policy()).isEqualTo(three);
        assertThat(wf.node("lines").policy()).isEqualTo(StepPolicy.defaults());
        assertThat(wf.resultNode()).isEqualTo("skus");
    }
}
