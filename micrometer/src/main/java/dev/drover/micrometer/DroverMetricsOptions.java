package dev.drover.micrometer;

import dev.drover.api.QueueName;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link DroverMetrics#bind(dev.drover.api.Drover, io.micrometer.core.instrument.MeterRegistry, DroverMetricsOptions)}
 * measures: how often the queue gauges are read from storage, which queues get them besides those the Drover pushes to
 * or runs workers for, and whether timers publish percentile histograms. Immutable; each method returns a changed copy.
 */
public final class DroverMetricsOptions {
    /** How often the queue gauges are read from storage by default. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);
    /** The shortest refresh interval accepted: the gauges' reads must stay a small share of the storage's work. */
    public static final Duration MIN_REFRESH_INTERVAL = Duration.ofMillis(100);

    private static final DroverMetricsOptions DEFAULTS = new DroverMetricsOptions(DEFAULT_REFRESH_INTERVAL, List.of(), true, false);

    private final Duration refreshInterval;
    private final List<QueueName> queues;
    private final boolean queueGauges;
    private final boolean percentileHistograms;

    private DroverMetricsOptions(Duration refreshInterval, List<QueueName> queues, boolean queueGauges, boolean percentileHistograms) {
        this.refreshInterval = refreshInterval;
        this.queues = queues;
        this.queueGauges = queueGauges;
        this.percentileHistograms = percentileHistograms;
    }

    /** Queue gauges refreshed every 5 seconds, no extra queues, no percentile histograms (a MeterFilter can add them). */
    public static DroverMetricsOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Reads the queue gauges (task counts by state, oldest due task) from storage every {@code interval}, in one
     * background thread; a refresh that is still running when the next is due delays it. At least
     * {@link #MIN_REFRESH_INTERVAL}.
     */
    public DroverMetricsOptions refreshInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(MIN_REFRESH_INTERVAL) < 0) {
            throw new IllegalArgumentException("refreshInterval " + interval + " is shorter than " + MIN_REFRESH_INTERVAL
                    + ": the queue gauges read storage once per interval; give a longer one (the default is " + DEFAULT_REFRESH_INTERVAL + ")");
        }
        return new DroverMetricsOptions(interval, queues, queueGauges, percentileHistograms);
    }

    /**
     * Also measures these queues' gauges from the start, though this Drover may never push to them or run a worker for
     * them (a dashboard process watching queues that others fill, say).
     */
    public DroverMetricsOptions queues(String... names) {
        Set<QueueName> all = new LinkedHashSet<>(queues);
        for (String name : names) all.add(QueueName.of(name));
        return new DroverMetricsOptions(refreshInterval, List.copyOf(all), queueGauges, percentileHistograms);
    }

    /**
     * Whether queues get gauges read from storage (true by default). Without them no background thread runs and
     * storage is never read by the metrics; counters, timers and worker gauges are kept.
     */
    public DroverMetricsOptions queueGauges(boolean enabled) {
        return new DroverMetricsOptions(refreshInterval, queues, enabled, percentileHistograms);
    }

    /**
     * Whether the timers publish percentile histograms (buckets a monitoring system aggregates into percentiles across
     * instances). Off by default, where a {@link io.micrometer.core.instrument.config.MeterFilter} can still turn them on
     * for the meters it chooses.
     */
    public DroverMetricsOptions percentileHistograms(boolean enabled) {
        return new DroverMetricsOptions(refreshInterval, queues, queueGauges, enabled);
    }

    /** How often queue gauges are read from storage. */
    public Duration refreshInterval() {
        return refreshInterval;
    }

    /** Queues measured from the start, besides those the Drover pushes to or runs workers for. */
    public List<QueueName> queues() {
        return queues;
    }

    /** Whether queues get gauges read from storage. */
    public boolean queueGauges() {
        return queueGauges;
    }

    /** Whether the timers publish percentile histograms. */
    public boolean percentileHistograms() {
        return percentileHistograms;
    }

    @Override
    public String toString() {
        return "DroverMetricsOptions[refreshInterval=" + refreshInterval + ", queues=" + queues + ", queueGauges=" + queueGauges
                + ", percentileHistograms=" + percentileHistograms + "]";
    }
}
