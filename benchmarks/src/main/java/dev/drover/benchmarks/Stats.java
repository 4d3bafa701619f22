package dev.drover.benchmarks;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** Median and spread over the completed runs of one scenario on one target. */
public final class Stats {
    private Stats() {
    }

    /** The median of {@code column} over {@code items}; NaN for none. */
    public static <T> double median(List<T> items, ToDoubleFunction<T> column) {
        double[] values = items.stream().mapToDouble(column).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (values.length == 0) return Double.NaN;
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    public static <T> double min(List<T> items, ToDoubleFunction<T> column) {
        return items.stream().mapToDouble(column).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
    }

    public static <T> double max(List<T> items, ToDoubleFunction<T> column) {
        return items.stream().mapToDouble(column).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    /** {@code (max - min) / median}, in percent: how far apart the runs were. 0 for one run. */
    public static double spreadPercent(double min, double max, double median) {
        return median > 0 ? (max - min) / median * 100 : Double.NaN;
    }

    /** NaN as null, for JSON. */
    static Double orNull(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? null : value;
    }

    /** Null as NaN. */
    static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }
}
