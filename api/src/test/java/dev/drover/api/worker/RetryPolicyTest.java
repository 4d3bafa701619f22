package dev.drover.api.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {

    @Test
    void exponentialDoublesUpToTheCapWithoutJitter() {
        RetryPolicy policy = RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), 0);
        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayAfter(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(policy.delayAfter(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.delayAfter(1000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterSpreadsWithinItsBoundsAndNeverPastTheCap() {
        RetryPolicy policy = RetryPolicy.exponential(Duration.ofSeconds(10), Duration.ofSeconds(20), 0.5);
        long distinct = java.util.stream.IntStream.range(0, 200).mapToObj(i -> policy.delayAfter(1)).distinct().count();
        assertThat(distinct).isGreaterThan(10);
        for (int i = 0; i < 200; i++) {
            assertThat(policy.delayAfter(1)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15));
            assertThat(policy.delayAfter(3)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
        }
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThatThrownBy(() -> RetryPolicy.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .hasMessageContaining("base <= max");
        assertThatThrownBy(() -> RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2), 1.5))
                .hasMessageContaining("jitter");
    }
}
