package dev.drover.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The peak heap of a run: a daemon thread reads the heap in use ({@link MemoryMXBean#getHeapMemoryUsage()}, all heap
 * pools together) every 50 ms, from the run's start to its end, and keeps the largest value. A sampler, not the
 * pools' own peak counters: those peak separately (eden full at one moment, old gen at another), and their sum
 * would overstate the heap in use at any one time. A spike shorter than 50 ms between two samples can be missed.
 */
public final class HeapSampler implements AutoCloseable {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final long PERIOD_MILLIS = 50;
    private static final double MIB = 1024.0 * 1024.0;

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak;

    private HeapSampler() {
        peak = used();
        thread = Thread.ofPlatform().daemon().name("bench-heap-sampler").start(this::sample);
    }

    public static HeapSampler start() {
        return new HeapSampler();
    }

    /** The largest heap in use seen so far, in MiB. */
    public double peakMiB() {
        long now = used();
        if (now > peak) peak = now;
        return peak / MIB;
    }

    /** Heap in use right after a full collection ({@link System#gc()}), in MiB: what the run really keeps alive. */
    public static double afterGcMiB() {
        System.gc();
        return used() / MIB;
    }

    /** The JVM's maximum heap ({@code -Xmx}), in MiB. */
    public static double maxMiB() {
        return Runtime.getRuntime().maxMemory() / MIB;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample() {
        while (running) {
            long now = used();
            if (now > peak) peak = now;
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long used() {
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
