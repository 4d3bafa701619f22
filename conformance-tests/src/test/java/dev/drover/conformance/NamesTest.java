package dev.drover.conformance;

import dev.drover.api.QueueName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class NamesTest {

    @Test
    void queueNamesAreValidAndDistinct() {
        Set<QueueName> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            QueueName q = Names.queue();
            assertThat(q.value()).matches("q_[a-z]{10}");
            seen.add(q);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void workerIdsSayTheyAreTheKits() {
        assertThat(Names.worker("claimer").value()).matches("kit-claimer-[a-z]{6}");
    }
}
