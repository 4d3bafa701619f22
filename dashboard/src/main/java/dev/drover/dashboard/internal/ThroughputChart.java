package dev.drover.dashboard.internal;

import dev.drover.api.FinishedMinute;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Tasks finished per minute as an SVG bar chart: done stacked under dead, one bar a minute, drawn on the server. */
final class ThroughputChart {
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final int WIDTH = 960;
    private static final int HEIGHT = 180;
    private static final int LEFT = 44;
    private static final int BOTTOM = 22;
    private static final int TOP = 8;

    private ThroughputChart() {
    }

    static String svg(List<FinishedMinute> minutes) {
        long max = 1;
        long done = 0;
        long dead = 0;
        for (FinishedMinute m : minutes) {
            max = Math.max(max, m.done() + m.dead());
            done += m.done();
            dead += m.dead();
        }
        long scale = niceCeiling(max);
        int plotWidth = WIDTH - LEFT - 8;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = (double) plotWidth / Math.max(1, minutes.size());
        double bar = Math.max(1, slot * 0.72);
        StringBuilder b = new StringBuilder(minutes.size() * 160 + 1024);
        b.append("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"Tasks finished per minute over the last ").append(minutes.size())
                .append(" minutes: ").append(done).append(" done, ").append(dead).append(" dead\">");
        for (int i = 0; i <= 2; i++) { // gridlines at 0, half and the top
            double y = TOP + plotHeight - plotHeight * i / 2.0;
            b.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - 8).append("\" y1=\"").append(fmt(y))
                    .append("\" y2=\"").append(fmt(y)).append("\"/>");
            b.append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y + 4)).append("\" text-anchor=\"end\">")
                    .append(axisLabel(scale * i / 2.0)).append("</text>");
        }
        for (int i = 0; i < minutes.size(); i++) {
            FinishedMinute m = minutes.get(i);
            double x = LEFT + i * slot + (slot - bar) / 2;
            double hDone = plotHeight * (double) m.done() / scale;
            double hDead = plotHeight * (double) m.dead() / scale;
            double base = TOP + plotHeight;
            b.append("<g><title>").append(HHMM.format(m.minute())).append(" UTC: ").append(m.done()).append(" done, ")
                    .append(m.dead()).append(" dead</title>");
            b.append("<rect class=\"hit\" x=\"").append(fmt(LEFT + i * slot)).append("\" y=\"").append(TOP).append("\" width=\"")
                    .append(fmt(slot)).append("\" height=\"").append(plotHeight).append("\"/>");
            if (m.done() > 0) rect(b, "done", x, base - hDone, bar, hDone);
            if (m.dead() > 0) rect(b, "dead", x, base - hDone - hDead, bar, hDead);
            b.append("</g>");
            if (i % 10 == 0 || i == minutes.size() - 1) {
                b.append("<text class=\"axis\" x=\"").append(fmt(x + bar / 2)).append("\" y=\"").append(HEIGHT - 6)
                        .append("\" text-anchor=\"middle\">").append(HHMM.format(m.minute())).append("</text>");
            }
        }
        b.append("</svg>");
        return b.toString();
    }

    private static void rect(StringBuilder b, String cls, double x, double y, double w, double h) {
        b.append("<rect class=\"").append(cls).append("\" x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" width=\"")
                .append(fmt(w)).append("\" height=\"").append(fmt(Math.max(h, 1))).append("\" rx=\"1.5\"/>");
    }

    /** The smallest of 1, 2, 5 times a power of ten that is at least {@code n}. */
    static long niceCeiling(long n) {
        long p = 1;
        while (true) {
            for (long f : new long[] {1, 2, 5}) {
                if (f * p >= n) return f * p;
            }
            p *= 10;
        }
    }

    private static String axisLabel(double v) {
        return v == Math.rint(v) ? Html.count((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
