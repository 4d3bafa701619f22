package dev.drover.workflow;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The typed builders hand each step function its inputs in declared order, whatever the arity. */
class NodeFunctionsTest {

    @Test
    void joinsReceiveTheirInputsInDeclaredOrder() throws Exception {
        Workflow<String, String> wf = Workflow.graph("joins", String.class)
                .entry("a", Integer.class, s -> 1)
                .entry("b", String.class, s -> "b")
                .entry("c", Long.class, s -> 3L)
                .entry("d", Boolean.class, s -> true)
                .node("one", String.class).from("a", Integer.class).run(a -> "one:" + a)
                .node("two", String.class).from("b", String.class).and("a", Integer.class).run((b, a) -> b + a)
                .node("three", String.class).from("c", Long.class).and("b", String.class).and("a", Integer.class).run((c, b, a) -> c + b + a)
                .node("four", String.class).from("d", Boolean.class).and("c", Long.class).and("b", String.class).and("a", Integer.class)
                .run(in -> in.get(0, Boolean.class) + ":" + in.get("c", Long.class) + ":" + in.get(2) + ":" + in.get(3, int.class) + ":" + in.names())
                .build("four", String.class);

        assertThat(invoke(wf, "one", 1)).isEqualTo("one:1");
        assertThat(invoke(wf, "two", "b", 1)).isEqualTo("b1");
        assertThat(invoke(wf, "three", 3L, "b", 1)).isEqualTo("3b1");
        assertThat(invoke(wf, "four", true, 3L, "b", 1)).isEqualTo("true:3:b:1:[d, c, b, a]");
        assertThat(invoke(wf, "a", "input")).isEqualTo(1);
        assertThat(wf.node("four").deps()).containsExactly("d", "c", "b", "a");
    }

    @Test
    void fanOutBodiesSeeOneElement() throws Exception {
        Workflow<List<Integer>, List<String>> wf = Workflow.sequence("fan", new tools.jackson.core.type.TypeReference<List<Integer>>() { })
                .filter("even", Integer.class, i -> i % 2 == 0)
                .flatMap("words", Integer.class, String.class, i -> List.of("n" + i, "m" + i))
                .build();
        assertThat(((NodeDef.Body.Filter) wf.node("even").body()).predicate().test(4)).isTrue();
        assertThat(((NodeDef.Body.Filter) wf.node("even").body()).predicate().test(3)).isFalse();
        assertThat(((NodeDef.Body.FlatMap) wf.node("words").body()).function().apply(2)).isEqualTo(List.of("n2", "m2"));
        assertThat(wf.node("even").isEntry()).isTrue();
        assertThat(wf.toString()).contains("even (filter)").contains("words (flat_map) <- even");
    }

    private static Object invoke(Workflow<?, ?> wf, String node, Object... inputs) throws Exception {
        return ((NodeDef.Body.Step) wf.node(node).body()).invoker().invoke(Arrays.asList(inputs));
    }
}
