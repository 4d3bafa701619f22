package dev.drover.test;

import dev.drover.api.Drover;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The JUnit 5 extension behind {@link DroverTest}: resolves a {@link Drover} parameter of a test method (or of a
 * lifecycle method such as {@code @BeforeEach}, which then shares the test's instance) to a Drover opened for that
 * test alone, and closes it after the test. On the default SQLite backend the database is a new file in a new
 * temporary directory, deleted afterwards, so tests never see each other's tasks.
 */
public final class DroverExtension implements ParameterResolver {
    /** The system property that gives every {@link DroverTest} a backend URL: {@value}. */
    public static final String URL_PROPERTY = "drover.test.url";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DroverExtension.class);

    /** Creates the extension; JUnit does, through {@link DroverTest}. */
    public DroverExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Drover.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent("drover", key -> OpenDrover.open(url(context)), OpenDrover.class).drover();
    }

    /** The URL for this test: the system property, else the annotation's, else empty for a new SQLite file. */
    static String url(ExtensionContext context) {
        String property = System.getProperty(URL_PROPERTY, "").strip();
        if (!property.isEmpty()) return property;
        return context.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, DroverTest.class))
                .or(() -> context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, DroverTest.class)))
                .map(DroverTest::url).orElse("").strip();
    }

    /** A Drover open for one test, and the directory of its SQLite file if the extension made one; closed by JUnit. */
    record OpenDrover(Drover drover, Path directory) implements AutoCloseable {
        static OpenDrover open(String url) {
            if (!url.isEmpty()) return new OpenDrover(Drover.open(url), null);
            try {
                Path directory = Files.createTempDirectory("drover-test-");
                return new OpenDrover(Drover.open("sqlite:" + directory.resolve("drover.db")), directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for the test's SQLite file", e);
            }
        }

        @Override
        public void close() throws IOException {
            drover.close();
            if (directory == null) return;
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
