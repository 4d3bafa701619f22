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
 * Every Java block of the README is compiled code: the line before it says {@code <!-- compiled: path -->} (the block
 * is that source file, character for character) or {@code <!-- compiled: path#region -->} (the block is the lines
 * between {@code // region name} and {@code // endregion name} in that file, without their common indentation). The
 * compiler checks the sources; this test checks the README still shows them, and refuses a Java block marked neither
 * way, so no uncompiled snippet can be added.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?:<!-- compiled: ([^#\\s]+)(?:#(\\S+))? -->\\n)?```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyJavaBlockIsCompiledSource() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher m = JAVA_BLOCK.matcher(readme);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            int line = readme.substring(0, m.start()).split("\n", -1).length;
            assertThat(m.group(1)).as("README line %d: a ```java block without <!-- compiled: path --> or <!-- compiled: path#region --> "
                    + "on the line before it; put the code in a compiled source (examples/src/main/java/dev/drover/examples/readme/) "
                    + "and mark the block", line).isNotNull();
            Path source = ROOT.resolve(m.group(1));
            assertThat(source).as("the source README line %d names", line).isRegularFile();
            String text = Files.readString(source);
            String expected = m.group(2) == null ? text : region(text, m.group(2), source);
            assertThat(m.group(3)).as("README block at line %d, compiled from %s", line, m.group(1) + (m.group(2) == null ? "" : "#" + m.group(2)))
                    .isEqualTo(expected);
            checked.add(m.group(1) + (m.group(2) == null ? "" : "#" + m.group(2)));
        }
        assertThat(checked).as("README blocks checked against compiled sources").contains(
                "examples/src/main/java/dev/drover/examples/readme/QuickStart.java",
                "examples/src/main/java/dev/drover/examples/readme/EnqueueInTransaction.java#push-in-transaction",
                "examples/src/main/java/dev/drover/examples/readme/Workflows.java#sequence",
                "examples/src/main/java/dev/drover/examples/readme/Workflows.java#graph",
                "testing/src/test/java/dev/drover/test/readme/SignupTest.java");
    }

    @Test
    void aRegionIsTheLinesBetweenItsMarkersWithoutTheirIndentation() {
        String source = "class A {\n    void f() {\n        // region r\n        int x = 1;\n            x++;\n        // endregion r\n    }\n}\n";
        assertThat(region(source, "r", Path.of("A.java"))).isEqualTo("int x = 1;\n    x++;\n");
    }

    /** The lines between {@code // region name} and {@code // endregion name}, their common indentation removed. */
    static String region(String text, String name, Path source) {
        List<String> lines = text.lines().toList();
        int start = -1, end = -1;
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.equals("// region " + name)) start = i;
            if (t.equals("// endregion " + name)) end = i;
        }
        assertThat(start).as("'// region %s' in %s", name, source).isNotNegative();
        assertThat(end).as("'// endregion %s' after its region in %s", name, source).isGreaterThan(start);
        List<String> body = lines.subList(start + 1, end);
        int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String l : body) out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        return out.toString();
    }
}
