package dev.drover.workflow;

import dev.drover.api.TaskId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunIdsTest {
    private final RunId run = RunId.generate();

    @Test
    void idsOfARunShareItsPrefixAndParseBack() {
        String prefix = RunIds.prefix(run);
        assertThat(RunIds.step(run, "charge").value()).isEqualTo(prefix + "charge");
        assertThat(RunIds.element(run, "in_stock", 7).value()).isEqualTo(prefix + "in_stock.000007");
        assertThat(RunIds.marker(run).value()).isEqualTo(prefix + "~cancelled");

        assertThat(RunIds.parse(run, RunIds.step(run, "charge"))).isEqualTo(new RunIds.Parsed(RunIds.Parsed.Kind.STEP, "charge", -1));
        assertThat(RunIds.parse(run, RunIds.element(run, "in_stock", 42))).isEqualTo(new RunIds.Parsed(RunIds.Parsed.Kind.ELEMENT, "in_stock", 42));
        assertThat(RunIds.parse(run, RunIds.marker(run)).kind()).isEqualTo(RunIds.Parsed.Kind.MARKER);
        assertThat(RunIds.parse(run, RunIds.outputRecord(RunIds.element(run, "x", 1))).kind()).isEqualTo(RunIds.Parsed.Kind.OUTPUT_RECORD);
        assertThat(RunIds.parse(run, TaskId.of(prefix + "x.12")).kind()).isEqualTo(RunIds.Parsed.Kind.OTHER);
    }

    @Test
    void elementsSortInElementOrder() {
        List<String> ids = new ArrayList<>();
        for (int i : new int[] {100, 2, 10, 0, 99_999}) ids.add(RunIds.element(run, "n", i).value());
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertThat(sorted).containsExactly(RunIds.element(run, "n", 0).value(), RunIds.element(run, "n", 2).value(),
                RunIds.element(run, "n", 10).value(), RunIds.element(run, "n", 100).value(), RunIds.element(run, "n", 99_999).value());
    }

    @Test
    void runIdsAreUuids() {
        assertThat(RunId.of(run.value())).isEqualTo(run);
        assertThatThrownBy(() -> RunId.of("wf.x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid run id");
    }

    @Test
    void envelopeRoundTrips() {
        Envelope e = new Envelope("orders", run, "in_stock", Envelope.Kind.ELEMENT, 3, 10, JsonNodeFactory.instance.textNode("a"));
        assertThat(Envelope.parse(Engine.DEFAULT_MAPPER, e.toJson(Engine.DEFAULT_MAPPER))).isEqualTo(e);
        Envelope join = new Envelope("orders", run, "join", Envelope.Kind.STEP, -1, -1, null);
        assertThat(Envelope.parse(Engine.DEFAULT_MAPPER, join.toJson(Engine.DEFAULT_MAPPER))).isEqualTo(join);
        Envelope nullInput = new Envelope("orders", run, "next", Envelope.Kind.STEP, -1, -1, JsonNodeFactory.instance.nullNode());
        assertThat(Envelope.parse(Engine.DEFAULT_MAPPER, nullInput.toJson(Engine.DEFAULT_MAPPER)).input()).isNotNull();
        assertThatThrownBy(() -> Envelope.parse(Engine.DEFAULT_MAPPER, "{\"v\":2}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 2");
    }
}
