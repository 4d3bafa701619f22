package dev.drover.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every scenario runs once with tiny sizes on a SQLite file and reports a rate; nothing is said about speed. */
class BenchSmokeTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void everyScenarioCompletesOnSqlite(@TempDir Path dir) throws Exception {
        Options options = Options.parse(new String[] {
                "--url", "sqlite:" + dir.resolve("smoke.db"), "--scenario", "all", "--tasks", "200",
                "--rate", "50", "--seconds", "1", "--reps", "1", "--concurrency", "8"});
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        List<Result> results;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            results = new Harness(options, out).run();
        }
        String printed = buffer.toString(StandardCharsets.UTF_8);

        assertThat(results).extracting(Result::scenario).containsExactly("push", "drain", "latency");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.error()).as(r.scenario() + " error").isNull();
            assertThat(r.rate()).as(r.scenario() + " rate").isPositive();
        });
        assertThat(results.get(0).tasks()).isEqualTo(200);
        assertThat(results.get(1).tasks()).isEqualTo(200);
        Result latency = results.get(2);
        assertThat(latency.tasks()).isEqualTo(50);
        assertThat(latency.latency()).isNotNull();
        assertThat(latency.latency().p50Ms()).isPositive();
        assertThat(latency.latency().p99Ms()).isGreaterThanOrEqualTo(latency.latency().p50Ms());
        assertThat(printed).contains("Results (1 run(s)", "median", "backend:");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--taks", "5"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown option --taks");
        assertThatThrownBy(() -> Options.parse(new String[] {"--tasks", "many"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--tasks").hasMessageContaining("many");
        assertThatThrownBy(() -> Options.parse(new String[] {"--scenario", "pull"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("pull");
        assertThatThrownBy(() -> Options.parse(new String[] {"--reps"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("--reps needs a value");
    }

    @Test
    void splitsMavenPropertyAndKeepsDefaults() throws Exception {
        Options o = Options.parse(Options.split("  --scenario drain,push   --tasks=500 "));
        assertThat(o.scenarios()).containsExactly("drain", "push");
        assertThat(o.tasks()).isEqualTo(500);
        assertThat(o.reps()).isEqualTo(3);
        assertThat(o.url()).isNull();
        assertThat(Target.of("sqlite:").temporary()).isTrue();
        assertThat(Target.of("sqlite:x.db").temporary()).isFalse();
    }
}
