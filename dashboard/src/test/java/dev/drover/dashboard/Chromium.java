package dev.drover.dashboard;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A real headless Chromium driven through chromedriver: Debian's {@code chromium} and {@code chromium-driver}
 * ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}; {@code DROVER_TEST_CHROMIUM} and
 * {@code DROVER_TEST_CHROMEDRIVER} point elsewhere). Without them the browser tests are skipped, saying how to install
 * them, or fail where {@code DROVER_TEST_REQUIRE_SERVERS=true} (as {@code .ci/run} sets, after installing them).
 */
final class Chromium implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Chromium start() {
        String browser = env("DROVER_TEST_CHROMIUM", "/usr/bin/chromium");
        String chromedriver = env("DROVER_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
        if (!Files.isExecutable(Path.of(browser)) || !Files.isExecutable(Path.of(chromedriver))) {
            String why = "browser tests not run: no " + (Files.isExecutable(Path.of(browser)) ? chromedriver : browser)
                    + ". Install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver), or set "
                    + "DROVER_TEST_CHROMIUM and DROVER_TEST_CHROMEDRIVER; .ci/run does this";
            if ("true".equalsIgnoreCase(System.getenv("DROVER_TEST_REQUIRE_SERVERS"))) throw new IllegalStateException(why);
            Assumptions.abort(why);
        }
        try {
            Path profile = Files.createTempDirectory("drover-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(browser);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1360,900",
                    "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
            return new Chromium(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves what the window shows as {@code target/screenshots/NAME.png}. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path to = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), to, StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary profile left behind is harmless
            }
        }
    }

    private static String env(String name, String otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : v;
    }

}
