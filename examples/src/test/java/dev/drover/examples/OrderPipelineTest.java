package dev.drover.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the README's workflow command true: the order pipeline fulfils its three orders on an embedded SQLite file. */
class OrderPipelineTest {

    @Test
    void everyOrderIsFulfilledThroughEveryStep() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            OrderPipeline.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        assertThat(out).contains("successors pushed in the completion's transaction: true")
                .contains("started 3 runs")
                .contains("order o-1001").contains("order o-1002").contains("order o-1003")
                .contains("in_stock        DONE (3/3 elements)")
                .contains("charge_card     DONE (2 attempts)")
                .contains("receipt: Your order o-1001 is on its way: 2 x book, 5 x pen")
                .contains("receipt: Your order o-1002 is on its way: 4 x mug, 1 x pen")
                .contains("receipt: Your order o-1003 is on its way: 1 x book")
                .contains("card charges attempted: 4")
                .contains("all orders fulfilled");
    }
}
