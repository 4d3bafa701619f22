package dev.drover.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueueNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"emails", "resize_images", "q1", "a"})
    void acceptsSqlSafeNames(String name) {
        assertThat(QueueName.of(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Emails", "1queue", "_x", "e-mails", "emails; DROP TABLE x", "q'--", "with space",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqr"})
    void refusesAnythingThatCouldNotBeAnIdentifier(String name) {
        assertThatThrownBy(() -> QueueName.of(name))
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("invalid queue name")
                .hasMessageContaining("a-z, 0-9 and _");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a_dlq", "emails_dlq", "x__dlq"})
    void refusesTheDeadLetterSuffixOnEveryBackend(String name) {
        assertThatThrownBy(() -> QueueName.of(name))
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("invalid queue name \"" + name + "\"")
                .hasMessageContaining("ending in _dlq are kept for dead-letter queues on every backend");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dlq", "a_dlq_b", "adlq", "a_dl", "dlq_a"})
    void acceptsNamesThatOnlyMentionDlq(String name) {
        assertThat(QueueName.of(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 43})
    void acceptsTheLongestName(int length) {
        assertThat(QueueName.of("q".repeat(length)).value()).hasSize(length);
    }
}
