package dev.drover.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the README's demo command true: the demo runs to its summary on an embedded SQLite file. */
class DemoTest {

    @Test
    void demoFinishesWithEveryTaskDoneOrDeadForItsReason() throws Exception {
        String out = DemoOutput.of(() -> Demo.main(new String[0]));
        assertThat(out).contains("pushed 303 tasks")
                .contains("done:    300")
                .contains("dead:    3")
                .contains("attempt 3 of 3 failed, none left")
                .contains("killed by its handler on attempt 1: mailbox bounce@example.com does not exist")
                .contains("undecodable payload")
                .containsPattern("drover\\.tasks\\.pushed +303\\n")
                .containsPattern("drover\\.tasks\\.completed +300\\n")
                .containsPattern("drover\\.tasks\\.dead +3\\n")
                .containsPattern("drover\\.handler\\.duration +\\d+ samples");
    }
}
