package dev.drover.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Renders a results file into the README, between the lines {@value #START} and {@value #END} (everything between
 * them is replaced; nothing else is touched): the date, the machine, the exact command, and one table per scenario
 * with each target's median tasks/s, spread, latency medians and peak heap. For push and drain it adds Drover's
 * ratio to each peer it is compared with (median ÷ median, from the same file).
 */
public final class ReadmeTable {
    public static final String START = "<!-- bench:results:start -->";
    public static final String END = "<!-- bench:results:end -->";

    /** Drover target and the peer it is compared with. */
    static final List<List<String>> PAIRS = List.of(List.of("sqlite", "jobrunr-sqlite"), List.of("pgmq-plain", "dbscheduler-pg"),
            List.of("pgmq-plain", "jobrunr-pg"));

    private ReadmeTable() {
    }

    /** Reads {@code results}, renders it and rewrites the marked block of {@code readme}. */
    public static void rewrite(Path results, Path readme) throws IOException {
        rewriteBlock(results, readme, START, END, ReadmeTable::render);
    }

    /** Reads {@code results} and replaces the lines of {@code readme} between the two markers by what {@code render} makes of it. */
    static void rewriteBlock(Path results, Path readme, String startMarker, String endMarker,
                             BiFunction<JsonReport, String, String> render) throws IOException {
        JsonReport report = JsonReport.read(results);
        if (!Files.exists(readme)) throw new IOException("no README at " + readme.toAbsolutePath());
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Files.writeString(readme, replaceBlock(text, startMarker, endMarker, render.apply(report, results.toString()), readme),
                StandardCharsets.UTF_8);
    }

    /**
     * {@code text} with the lines between the markers replaced by {@code block}.
     *
     * @throws IllegalStateException when the markers are missing, repeated or out of order
     */
    static String replaceBlock(String text, String startMarker, String endMarker, String block, Path readme) {
        int start = text.indexOf(startMarker);
        int end = text.indexOf(endMarker);
        if (start < 0 || end < 0 || end < start || text.indexOf(startMarker, start + 1) >= 0 || text.indexOf(endMarker, end + 1) >= 0) {
            throw new IllegalStateException(readme + " has no block to rewrite: add the two lines " + startMarker + " and " + endMarker
                    + " (once each, in that order, e.g. under \"## Benchmarks\") where the results should go");
        }
        int from = text.indexOf('\n', start);
        if (from < 0 || from > end) throw new IllegalStateException(readme + ": put " + startMarker + " and " + endMarker + " on lines of their own");
        return text.substring(0, from + 1) + block + text.substring(end);
    }

    /** The block's lines, ending with a newline. */
    static String render(JsonReport r, String source) {
        StringBuilder md = new StringBuilder();
        md.append("<!-- generated from ").append(source).append(" by the harness's --readme-from; rerun that rather than edit -->\n");
        JsonReport.Machine m = r.machine();
        md.append("Measured ").append(r.date()).append(" on ").append(m.cpuModel() == null ? "an unknown CPU" : m.cpuModel())
                .append(", ").append(m.availableProcessors()).append(" cores; ").append(m.jvm().vendor()).append(' ')
                .append(m.jvm().name()).append(' ').append(m.jvm().version()).append(", max heap ").append(m.maxHeapMiB()).append(" MiB; ")
                .append(m.os().name()).append(' ').append(m.os().version()).append(' ').append(m.os().arch()).append(".\n\n");
        md.append("```sh\n").append(r.mavenCommand()).append("\n```\n");
        List<JsonReport.TargetInfo> peers = r.targets().stream().filter(t -> t.configuration() != null && !t.configuration().isEmpty()).toList();
        if (!peers.isEmpty()) {
            md.append("\nPeers:\n");
            for (JsonReport.TargetInfo t : peers) md.append("- ").append(t.id()).append(": ").append(cell(t.configuration())).append('\n');
        }

        Map<String, List<Summary>> byScenario = new LinkedHashMap<>();
        for (String s : Options.ALL_SCENARIOS) byScenario.put(s, new ArrayList<>());
        for (Summary s : r.summary()) byScenario.computeIfAbsent(s.scenario(), k -> new ArrayList<>()).add(s);
        for (Map.Entry<String, List<Summary>> e : byScenario.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            String description = r.scenarios() == null ? null : r.scenarios().get(e.getKey());
            md.append("\n**").append(e.getKey()).append("**");
            if (description != null) {
                String what = description.startsWith(e.getKey() + ": ") ? description.substring(e.getKey().length() + 2) : description;
                md.append(" — ").append(cell(what));
            }
            md.append("\n\n| target | tasks | tasks/s (median) | spread (min–max) | p50 ms | p95 ms | p99 ms | peak heap MiB |\n");
            md.append("|---|---:|---:|---|---:|---:|---:|---:|\n");
            for (Summary s : e.getValue()) {
                if (!s.status().equals("ok")) {
                    md.append("| ").append(s.target()).append(" | ").append(s.status()).append(": ").append(cell(s.reason()))
                            .append(" | | | | | | |\n");
                    continue;
                }
                md.append("| ").append(s.target()).append(" | ").append(String.format("%,d", s.tasks())).append(" | ")
                        .append(Table.rate(s.medianTasksPerSecond())).append(" | ")
                        .append(s.spreadPercent() == null ? "–" : String.format("%.1f%% (%s–%s)", s.spreadPercent(),
                                Table.rate(s.minTasksPerSecond()), Table.rate(s.maxTasksPerSecond())))
                        .append(s.completed() < s.runs() ? ", " + (s.runs() - s.completed()) + " of " + s.runs() + " runs failed" : "")
                        .append(" | ").append(dash(s.medianP50Ms())).append(" | ").append(dash(s.medianP95Ms())).append(" | ")
                        .append(dash(s.medianP99Ms())).append(" | ")
                        .append(s.peakHeapMiB() == null ? "–" : String.format("%.0f", s.peakHeapMiB())).append(" |\n");
            }
            List<String> heap = e.getValue().stream().filter(s -> s.status().equals("ok") && !s.heapAfterGcMiB().isEmpty())
                    .map(s -> s.target() + " " + Table.heapPoints(s) + " MiB").toList();
            if (!heap.isEmpty()) {
                md.append("\nHeap after a full GC at drain start / middle / end (largest over runs): ").append(String.join("; ", heap)).append(".\n");
            }
            List<String> ratios = ratios(e.getValue());
            if (!ratios.isEmpty()) {
                md.append("\nDrover vs peers (median ÷ median, same run): ").append(String.join("; ", ratios)).append(".\n");
            }
            List<String> fractions = referenceFractions(e.getValue());
            if (!fractions.isEmpty()) {
                md.append("\nDrover as a fraction of hand-written SQL on the same storage (median ÷ median, same run): ")
                        .append(String.join("; ", fractions)).append(".\n");
            }
        }
        return md.toString();
    }

    /** "sqlite ÷ jobrunr-sqlite: 3.2×" for each pair of PAIRS with both medians in {@code scenario}. */
    static List<String> ratios(List<Summary> scenario) {
        Map<String, Double> medians = medians(scenario);
        List<String> out = new ArrayList<>();
        for (List<String> pair : PAIRS) {
            Double drover = medians.get(pair.get(0));
            Double peer = medians.get(pair.get(1));
            if (drover != null && peer != null && peer > 0) {
                out.add(String.format("%s ÷ %s: %.2f×", pair.get(0), pair.get(1), drover / peer));
            }
        }
        return out;
    }

    /** "sqlite 0.41 of raw-sqlite" for each Drover target of {@code scenario} whose reference ran too. */
    static List<String> referenceFractions(List<Summary> scenario) {
        Map<String, Double> medians = medians(scenario);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Double> m : medians.entrySet()) {
            String reference = Harness.reference(m.getKey());
            Double ref = reference == null ? null : medians.get(reference);
            if (ref != null && ref > 0) out.add(String.format("%s %.2f of %s", m.getKey(), m.getValue() / ref, reference));
        }
        return out;
    }

    /** Each completed target's median tasks/s in {@code scenario}, in table order. */
    static Map<String, Double> medians(List<Summary> scenario) {
        Map<String, Double> medians = new LinkedHashMap<>();
        for (Summary s : scenario) {
            if (s.status().equals("ok") && s.medianTasksPerSecond() != null) medians.put(s.target(), s.medianTasksPerSecond());
        }
        return medians;
    }

    private static String dash(Double ms) {
        return ms == null ? "–" : String.format("%.2f", ms);
    }

    /** Text safe in a table cell: no pipes or line breaks. */
    static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
