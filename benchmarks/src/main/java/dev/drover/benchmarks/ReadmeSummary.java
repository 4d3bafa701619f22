package dev.drover.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the main README's benchmark summary from a results file, between {@value #START} and {@value #END}: the
 * drain and bulk-push medians of Drover and the peers side by side, enqueue-to-start latency, Drover as a fraction of
 * the hand-written references, where the run was made and a link to the full tables ({@link ReadmeTable} writes those
 * into {@code benchmarks/README.md} from the same file). Targets that did not run are left out, so a narrower run gives
 * a narrower summary, never a stale column.
 */
public final class ReadmeSummary {
    public static final String START = "<!-- bench:summary:start -->";
    public static final String END = "<!-- bench:summary:end -->";

    /** The summary's columns, in order, with their headings. */
    static final Map<String, String> COLUMNS = columns();

    private ReadmeSummary() {
    }

    private static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("sqlite", "Drover SQLite");
        c.put("pgmq-plain", "Drover PGMQ (plain)");
        c.put("dbscheduler-pg", "db-scheduler (PostgreSQL)");
        c.put("jobrunr-pg", "JobRunr (PostgreSQL)");
        c.put("jobrunr-sqlite", "JobRunr (SQLite)");
        c.put("raw-sqlite", "hand-written SQL, SQLite");
        c.put("raw-pgmq", "hand-written SQL, PGMQ");
        return c;
    }

    /** Reads {@code results} and rewrites the marked block of {@code readme}. */
    public static void rewrite(Path results, Path readme) throws IOException {
        ReadmeTable.rewriteBlock(results, readme, START, END, ReadmeSummary::render);
    }

    static String render(JsonReport r, String source) {
        Map<String, Map<String, Summary>> byScenario = new LinkedHashMap<>();
        for (Summary s : r.summary()) {
            if (s.status().equals("ok") && s.medianTasksPerSecond() != null) {
                byScenario.computeIfAbsent(s.scenario(), k -> new LinkedHashMap<>()).put(s.target(), s);
            }
        }
        List<String> shown = new ArrayList<>();
        for (String target : COLUMNS.keySet()) {
            if (ran(byScenario, "drain", target) || ran(byScenario, "push", target)) shown.add(target);
        }

        StringBuilder md = new StringBuilder();
        md.append("<!-- generated from ").append(source).append(" by the harness's --readme-from; rerun that rather than edit -->\n");
        JsonReport.Machine m = r.machine();
        md.append("Measured ").append(r.date(), 0, Math.min(10, r.date().length())).append(" on ").append(m.availableProcessors())
                .append(" cores (").append(m.cpuModel() == null ? "unknown CPU" : m.cpuModel()).append("), ")
                .append(m.jvm().name().contains("OpenJDK") ? "JDK " : "Java ").append(m.jvm().version()).append(", ")
                .append(runsLine(r)).append(", every target at the same size").append(serverLine(r)).append(":\n\n");
        if (!shown.isEmpty()) {
            md.append("| tasks/s |");
            for (String t : shown) md.append(' ').append(COLUMNS.get(t)).append(" |");
            md.append("\n|---|");
            md.append("---:|".repeat(shown.size())).append('\n');
            for (String scenario : List.of("drain", "push")) {
                if (!byScenario.containsKey(scenario)) continue;
                md.append("| ").append(scenario.equals("push") ? "bulk push" : "drain (no-op handler)").append(" |");
                for (String t : shown) {
                    Summary s = byScenario.get(scenario).get(t);
                    md.append(' ').append(s == null ? "–" : Table.rate(s.medianTasksPerSecond())).append(" |");
                }
                md.append('\n');
            }
        }
        Map<String, Summary> latency = byScenario.getOrDefault("latency", Map.of());
        List<String> lat = new ArrayList<>();
        for (String t : List.of("sqlite", "pgmq-plain")) {
            Summary s = latency.get(t);
            if (s != null && s.medianP50Ms() != null) {
                lat.add(String.format("%s p50 %.2f ms, p99 %.2f ms", COLUMNS.get(t).replace("Drover ", ""), s.medianP50Ms(), s.medianP99Ms()));
            }
        }
        if (!lat.isEmpty()) md.append("\nEnqueue-to-start latency at 200 pushes/s: ").append(String.join("; ", lat)).append(".\n");
        List<String> fractions = new ArrayList<>();
        for (String scenario : List.of("drain", "push")) {
            for (String f : ReadmeTable.referenceFractions(new ArrayList<>(byScenario.getOrDefault(scenario, Map.of()).values()))) {
                if (f.startsWith("sqlite ") || f.startsWith("pgmq-plain ")) fractions.add(scenario + ": " + f);
            }
        }
        if (!fractions.isEmpty()) {
            md.append("\nDrover as a fraction of hand-written SQL on the same storage, same run: ").append(String.join("; ", fractions)).append(".\n");
        }
        md.append("\nThe command, every scenario (latency, 8 KiB payloads, retries, long tasks, a million tasks in 256 MiB, 1-4 worker "
                + "processes on one database) and every target (libSQL too) are in [`benchmarks/README.md`](benchmarks/README.md).\n");
        return md.toString();
    }

    private static boolean ran(Map<String, Map<String, Summary>> byScenario, String scenario, String target) {
        return byScenario.containsKey(scenario) && byScenario.get(scenario).containsKey(target);
    }

    private static String runsLine(JsonReport r) {
        Object reps = r.options() == null ? null : r.options().get("reps");
        return reps == null ? "medians" : "medians of " + reps + " runs";
    }

    /** ", PostgreSQL a fresh server … (autovacuum on, …)" from the settings the run recorded, or nothing. */
    private static String serverLine(JsonReport r) {
        Object settings = r.options() == null ? null : r.options().get("pgSettings");
        if (!(settings instanceof Map<?, ?> map) || map.isEmpty()) return "";
        List<String> parts = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) parts.add(e.getKey() + " " + e.getValue());
        return "; PostgreSQL " + String.join(", ", parts);
    }
}
