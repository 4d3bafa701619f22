package dev.drover.benchmarks;

import dev.drover.api.Drover;

import java.io.PrintStream;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a scenario's run gets: the backend opened for it, the options, its repetition number and a place for
 * progress lines.
 */
public record RunContext(Drover drover, Options options, String scenario, int run, PrintStream out) {

    /** {@code bench_} and 8 random lowercase letters: a queue no other run uses. */
    public String newQueueName() {
        StringBuilder name = new StringBuilder("bench_");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 8; i++) name.append((char) ('a' + random.nextInt(26)));
        return name.toString();
    }

    /** A progress printer for this run, printing at most once a second. */
    public Progress progress() {
        return new Progress(out, scenario + " #" + run);
    }
}
