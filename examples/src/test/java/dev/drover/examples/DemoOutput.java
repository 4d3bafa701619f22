package dev.drover.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the demo in this JVM and returns what it printed (also echoed, so a failing test shows it). */
final class DemoOutput {
    interface DemoRun {
        void run() throws Exception;
    }

    private DemoOutput() {
    }

    static String of(DemoRun demo) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            demo.run();
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }
}
