package dev.drover.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskOptionsTest {

    @Test
    void negativeDelayIsRefusedWithAHint() {
        assertThatThrownBy(() -> TaskOptions.defaults().runAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("runAfter must not be negative")
                .hasMessageContaining("Duration.ZERO");
    }

    @Test
    void attemptsBelowOneAreRefused() {
        assertThatThrownBy(() -> TaskOptions.defaults().maxAttempts(0))
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageContaining("maxAttempts must be at least 1");
    }

    @Test
    void dueTimeComesFromRunAtOrDelay() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(TaskOptions.defaults().dueTime(now)).isEqualTo(now);
        assertThat(TaskOptions.defaults().runAfter(Duration.ofMinutes(5)).dueTime(now)).isEqualTo(now.plusSeconds(300));
        Instant at = Instant.parse("2027-01-01T00:00:00Z");
        assertThat(TaskOptions.defaults().runAfter(Duration.ofMinutes(5)).runAt(at).dueTime(now)).isEqualTo(at);
    }

    @Test
    void withersCopy() {
        TaskOptions base = TaskOptions.defaults();
        TaskOptions changed = base.priority(5).metadata("tenant", "acme").maxAttempts(3);
        assertThat(base.priority()).isZero();
        assertThat(base.metadata()).isEmpty();
        assertThat(changed.priority()).isEqualTo(5);
        assertThat(changed.metadata()).containsEntry("tenant", "acme");
        assertThat(changed.maxAttempts()).isEqualTo(3);
    }
}
