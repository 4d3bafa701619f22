package dev.drover.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildJvmTest {
    @TempDir
    Path dir;

    @Test
    void runsAMainOnThisClassPathAndTalksOverPipes() {
        try (ChildJvm child = ChildJvm.start(EchoMain.class, dir, "a", "b c", "ünï")) {
            assertThat(child.awaitLineStartingWith("ARGS ", Duration.ofSeconds(30))).isEqualTo("ARGS a,b c,ünï");
            child.send("hello");
            assertThat(child.awaitLineStartingWith("ECHO ", Duration.ofSeconds(10))).isEqualTo("ECHO hello");
            child.send("EXIT 7");
            assertThat(child.awaitExit(Duration.ofSeconds(10))).isEqualTo(7);
            assertThat(child.lines()).containsExactly("ARGS a,b c,ünï", "ECHO hello");
            assertThat(child.stderrTail()).contains("a line on stderr");
        }
    }

    @Test
    void killEndsABlockedChildAtOnce() {
        try (ChildJvm child = ChildJvm.start(EchoMain.class, dir)) {
            child.send("BLOCK");
            child.awaitLineStartingWith("BLOCKING", Duration.ofSeconds(30));
            assertThat(child.kill()).as("exit code after SIGKILL").isEqualTo(137);
            assertThat(child.isAlive()).isFalse();
        }
    }

    @Test
    void waitingForALineTheChildNeverPrintsFailsWithItsStderr() {
        try (ChildJvm child = ChildJvm.start(EchoMain.class, dir)) {
            child.send("EXIT 3");
            assertThatThrownBy(() -> child.awaitLineStartingWith("NEVER", Duration.ofSeconds(30)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("ended its output")
                    .hasMessageContaining("a line on stderr");
        }
    }

    @Test
    void closeKillsAChildStillRunning() {
        ChildJvm child = ChildJvm.start(EchoMain.class, dir);
        child.awaitLineStartingWith("ARGS", Duration.ofSeconds(30));
        child.close();
        assertThat(child.isAlive()).isFalse();
        child.close();
    }
}
