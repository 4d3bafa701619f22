package dev.drover.examples;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java blocks that say {@code <!-- compiled: path -->} on the line before them are that source file,
 * character for character: the compiler checks the file, this test checks the README still shows it. The 30-second
 * example is one of them. (The transactional-push and workflow snippets are fragments not covered yet.)
 */
class ReadmeSnippetsTest {
    private static final Pattern COMPILED_BLOCK = Pattern.compile("<!-- compiled: (\\S+) -->\\n```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyBlockMarkedCompiledIsItsSourceFile() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        Matcher m = COMPILED_BLOCK.matcher(readme);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            Path source = root.resolve(m.group(1));
            assertThat(source).as("the source the README names").isRegularFile();
            assertThat(m.group(2)).as("README block marked compiled from %s", m.group(1)).isEqualTo(Files.readString(source));
            checked.add(m.group(1));
        }
        assertThat(checked).as("README blocks checked against compiled sources")
                .contains("examples/src/main/java/dev/drover/examples/readme/QuickStart.java");
    }
}
