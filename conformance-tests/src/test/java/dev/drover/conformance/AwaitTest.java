package dev.drover.conformance;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwaitTest {

    @Test
    void returnsAsSoonAsTheConditionHolds() {
        AtomicInteger checks = new AtomicInteger();
        long start = System.nanoTime();
        Await.until(Duration.ofSeconds(10), () -> checks.incrementAndGet() >= 3, "three checks");
        assertThat(checks.get()).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void failsAfterTheDeadlineNamingWhatItWaitedFor() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Await.until(Duration.ofMillis(100), () -> false, "pigs fly"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("waiting until pigs fly");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void conditionFailuresPropagateAtOnce() {
        assertThatThrownBy(() -> Await.until(Duration.ofSeconds(10), () -> {
            throw new IllegalStateException("broken probe");
        }, "never")).isInstanceOf(IllegalStateException.class).hasMessage("broken probe");
    }

    @Test
    void valueReturnsTheFirstPresentValue() {
        AtomicInteger n = new AtomicInteger();
        String got = Await.value(Duration.ofSeconds(10), () -> n.incrementAndGet() < 4 ? Optional.empty() : Optional.of("v" + n.get()), "a value");
        assertThat(got).isEqualTo("v4");
    }
}
