package dev.drover.test.readme;

import dev.drover.api.Drover;
import dev.drover.api.TaskQueue;
import dev.drover.test.DroverTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.drover.test.Drain.drain;
import static dev.drover.test.DroverAssertions.assertPushed;
import static org.assertj.core.api.Assertions.assertThat;

@DroverTest                                   // each test gets a fresh Drover on its own SQLite file
class SignupTest {
    record Welcome(String email) { }

    @Test
    void signingUpSendsAWelcomeMail(Drover drover) {
        TaskQueue<Welcome> welcomes = drover.queue("welcome", Welcome.class);

        welcomes.push(new Welcome("ada@example.com"));    // what the code under test does

        assertPushed(welcomes, w -> w.email().equals("ada@example.com"));
        List<String> sent = new ArrayList<>();
        drain(drover, welcomes, task -> sent.add(task.payload().email()))   // runs due tasks here, in this thread
                .assertAllSucceeded();
        assertThat(sent).containsExactly("ada@example.com");
    }
}
