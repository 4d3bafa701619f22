package dev.drover.conformance.child;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * What every child main of the kit shares: output lines flushed at once (the parent waits for them), and a line to
 * the parent on standard input. A line {@code GO} opens the latch {@code go}; the end of standard input means the parent
 * is gone, and the child halts, so no child outlives its test run.
 */
public final class ChildSupport {
    /** A child that runs this long has lost its parent in some way the pipe did not show: it halts. */
    private static final long MAX_LIFETIME_MILLIS = 180_000;

    private final CountDownLatch go = new CountDownLatch(1);

    private ChildSupport() {
    }

    /** Halts this child when its parent closes standard input, or after three minutes at most. */
    public static ChildSupport watchParent() {
        ChildSupport support = new ChildSupport();
        Thread.ofPlatform().daemon().name("kit-child-stdin").start(support::readParent);
        Thread.ofPlatform().daemon().name("kit-child-lifetime").start(() -> {
            try {
                Thread.sleep(MAX_LIFETIME_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("kit child: still running after " + MAX_LIFETIME_MILLIS + " ms; halting");
            Runtime.getRuntime().halt(3);
        });
        return support;
    }

    /** Prints one line to standard output and flushes it, so the parent sees it now. */
    public static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    /** Waits for the parent's {@code GO}. */
    void awaitGo() throws InterruptedException {
        go.await();
    }

    private void readParent() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.strip().equals("GO")) go.countDown();
            }
        } catch (IOException e) {
            // treated as the parent being gone
        }
        System.err.println("kit child: the parent closed standard input; halting");
        Runtime.getRuntime().halt(2);
    }
}
