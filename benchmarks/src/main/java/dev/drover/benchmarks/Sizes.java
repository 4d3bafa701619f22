package dev.drover.benchmarks;

import java.util.Map;
import java.util.OptionalInt;

/**
 * How many tasks a run gets. Each scenario has a default size; a target may cap it (slow targets) or leave a
 * scenario out by default (cap 0); {@code --scale} multiplies the result; {@code --tasks} replaces all of that.
 */
public final class Sizes {
    /** Default sizes; latency's is {@code --rate × --seconds}, processes-N's the drain's. */
    static final Map<String, Integer> DEFAULTS = Map.of("push", 1_000_000, "drain", 200_000, "payload8k", 50_000,
            "long", 256, "retries", 100_000, "million", 1_000_000);

    private Sizes() {
    }

    /** The scenario's default size, before caps and scale. */
    public static int defaultSize(String scenario, Options o) {
        if (scenario.equals("latency")) return o.rate() * o.seconds();
        if (ProcessesScenario.names().contains(scenario)) return DEFAULTS.get("drain"); // the drain, by more processes
        Integer size = DEFAULTS.get(scenario);
        if (size == null) throw new IllegalArgumentException("no scenario " + scenario);
        return size;
    }

    /** The size of {@code scenario}'s runs on {@code target}; empty when the target does not run it by default. */
    public static OptionalInt of(Target target, String scenario, Options o) {
        if (o.tasks() != null) return OptionalInt.of(o.tasks());
        Integer cap = target.cap(scenario);
        if (cap != null && cap == 0) return OptionalInt.empty();
        int base = cap == null ? defaultSize(scenario, o) : Math.min(cap, defaultSize(scenario, o));
        return OptionalInt.of((int) Math.max(1, Math.round(base * o.scale())));
    }
}
