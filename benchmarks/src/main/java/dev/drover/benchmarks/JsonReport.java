package dev.drover.benchmarks;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results file: what ran where, every run, and the per-(target, scenario) summary. Written with Jackson; read back
 * by {@link ReadmeTable}. Numbers that were not measured are null.
 *
 * @param date      when the harness started (ISO 8601 with offset)
 * @param command   the harness's arguments, as given in {@code -Dbench.args}
 * @param mavenCommand the one Maven command that runs them
 * @param scenarios each scenario's description at its default size (capped targets run fewer tasks: see targets)
 * @param results   every run, skipped and failed ones included
 */
public record JsonReport(String date, Machine machine, String command, String mavenCommand, Map<String, Object> options,
                         List<TargetInfo> targets, Map<String, String> scenarios, List<Run> results, List<Summary> summary) {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** The machine the run was on. */
    public record Machine(Jvm jvm, Os os, String cpuModel, int availableProcessors, long maxHeapMiB) {
        public static Machine current() {
            Runtime rt = Runtime.getRuntime();
            return new Machine(
                    new Jvm(System.getProperty("java.vm.vendor"), System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                            ManagementFactory.getRuntimeMXBean().getInputArguments()),
                    new Os(System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch")),
                    readCpuModel(), rt.availableProcessors(), rt.maxMemory() / (1024 * 1024));
        }

        /** {@code model name} from /proc/cpuinfo, or null where there is none. */
        static String readCpuModel() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: no model
            }
            return null;
        }
    }

    /** @param args the JVM's own arguments (-Xmx and the like) */
    public record Jvm(String vendor, String name, String version, List<String> args) {
    }

    public record Os(String name, String version, String arch) {
    }

    /**
     * A target as it was run.
     *
     * @param summary       what it is, before opening
     * @param backend       its backend's description, or the peer's name (null when it never opened)
     * @param configuration the peer's {@code configuration()}; empty for Drover targets
     * @param sizes         each scenario's size on it; null where the scenario is not run by default
     * @param status        ok, skipped or failed (could not be prepared or opened)
     */
    public record TargetInfo(String id, String summary, String backend, String configuration, Map<String, Integer> sizes,
                             String status, String reason) {
    }

    /** One run, as in {@link Result}, with its rate and latency spelled out. */
    public record Run(String target, String backend, String scenario, int run, long tasks, Double seconds, Double tasksPerSecond,
                      Double p50Ms, Double p95Ms, Double p99Ms, Double maxMs, Double peakHeapMiB, List<Double> heapAfterGcMiB,
                      String note, String status, String error, String skipped) {
        static Run of(Result r) {
            Latency l = r.latency();
            return new Run(r.target(), r.backend(), r.scenario(), r.run(), r.tasks(), Stats.orNull(r.seconds()), Stats.orNull(r.rate()),
                    l == null ? null : l.p50Ms(), l == null ? null : l.p95Ms(), l == null ? null : l.p99Ms(), l == null ? null : l.maxMs(),
                    Stats.orNull(r.peakHeapMiB()), r.heapAfterGcMiB(), r.note(), r.status(), r.error(), r.skipped());
        }
    }

    /** The options that shape the numbers (the PostgreSQL without its password). */
    static Map<String, Object> options(Options o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("targets", o.targetIds());
        m.put("url", o.url());
        m.put("pg", o.pg() == null ? "none" : PgUrl.parse(o.pg()).describe());
        m.put("scenarios", o.scenarios());
        m.put("tasks", o.tasks());
        m.put("scale", o.scale());
        m.put("reps", o.reps());
        m.put("batch", o.batch());
        m.put("concurrency", o.concurrency());
        m.put("maxBatch", o.maxBatch());
        m.put("rate", o.rate());
        m.put("seconds", o.seconds());
        m.put("leaseMillis", o.leaseMillis());
        return m;
    }

    /** The Maven command that runs the harness with {@code args}. */
    static String mavenCommand(String args) {
        return "./mvnw -q -pl benchmarks -am package exec:exec -DskipTests -Dbench.args=\"" + args + "\"";
    }

    /** Writes this report to {@code file}, making its folder if needed. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        MAPPER.writeValue(temp.toFile(), this);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static JsonReport read(Path file) throws IOException {
        if (!Files.exists(file)) throw new IOException("no results file " + file.toAbsolutePath());
        try {
            return MAPPER.readValue(file.toFile(), JsonReport.class);
        } catch (tools.jackson.core.JacksonException e) {
            throw new IOException("cannot read " + file + " as a results file: " + e.getOriginalMessage(), e);
        }
    }
}
