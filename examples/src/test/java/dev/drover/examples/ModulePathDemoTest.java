package dev.drover.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo runs with Drover on the module path: every Drover jar (and its dependencies) is a named module, found and
 * wired by its {@code module-info} alone — the backend through {@code provides BackendProvider}, the libSQL backend's
 * reuse of the SQLite store through qualified exports — while the demo itself stays on the class path, as an
 * application that has not modularised yet. {@link DemoTest} runs the same demo on the class path.
 */
class ModulePathDemoTest {
    /** Drover's modules and the libraries they need at run time; test libraries stay off the module path. */
    private static final Pattern MODULE_PATH_ENTRY = Pattern.compile(
            ".*/(drover-(api|workflow|micrometer|backend-[a-z]+)-[^/]*(?<!-tests)\\.jar|(api|workflow|micrometer|backend-[a-z]+)/target/classes/?"
                    + "|jackson-[a-z]+-[^/]*\\.jar|slf4j-(api|simple)-[^/]*\\.jar|cron-utils-[^/]*\\.jar|sqlite-jdbc-[^/]*\\.jar|postgresql-[^/]*\\.jar|HikariCP-[^/]*\\.jar"
                    + "|micrometer-(core|commons|observation)-[^/]*\\.jar|HdrHistogram-[^/]*\\.jar|LatencyUtils-[^/]*\\.jar)");

    @Test
    void theDemoRunsWithEveryDroverJarAsANamedModule(@TempDir Path dir) throws Exception {
        List<String> modulePath = new ArrayList<>();
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = Path.of(entry).toAbsolutePath().toString().replace(File.separatorChar, '/');
            if (MODULE_PATH_ENTRY.matcher(path).matches()) {
                modulePath.add(entry);
            } else if (path.endsWith("examples/target/classes") || path.endsWith("examples/target/classes/")) {
                classPath.add(entry);
            }
        }
        List<String> modules = ModuleFinder.of(modulePath.stream().map(Path::of).toArray(Path[]::new)).findAll().stream()
                .map(ModuleReference::descriptor).filter(d -> !d.isAutomatic()).map(d -> d.name()).sorted().toList();
        assertThat(modules).as("named modules on the module path").contains("dev.drover.api", "dev.drover.backend.sqlite", "dev.drover.micrometer");
        assertThat(classPath).as("the demo's classes").hasSize(1);

        Path log = dir.resolve("demo.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED,org.xerial.sqlitejdbc",
                "--module-path", String.join(File.pathSeparator, modulePath),
                "--add-modules", "ALL-MODULE-PATH",
                "-cp", String.join(File.pathSeparator, classPath),
                Demo.class.getName());
        builder.environment().put("DROVER_URL", "sqlite:" + dir.resolve("demo.db"));
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        boolean ended = process.waitFor(120, TimeUnit.SECONDS);
        if (!ended) process.destroyForcibly();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.print(out);
        assertThat(ended).as("the demo ended within 120 s; its output:\n%s", out).isTrue();
        assertThat(process.exitValue()).as("the demo's exit code; its output:\n%s", out).isZero();
        assertThat(out).contains("done:    300").contains("dead:    3");
    }
}
