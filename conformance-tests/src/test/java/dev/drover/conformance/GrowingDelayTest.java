package dev.drover.conformance;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrowingDelayTest {
    private static final Duration FIRST = Duration.ofMillis(1500);

    @Test
    void aTryThatDecidesEndsTheCheck() {
        List<Duration> tried = new ArrayList<>();
        GrowingDelay.check("S0", FIRST, delay -> {
            tried.add(delay);
            return Optional.empty();
        });
        assertThat(tried).containsExactly(FIRST);
    }

    @Test
    void anUndecidedTryIsSetUpAgainWithTwiceTheDelay() {
        List<Duration> tried = new ArrayList<>();
        GrowingDelay.check("S0", FIRST, delay -> {
            tried.add(delay);
            return tried.size() < 3 ? Optional.of("the claim came back late") : Optional.empty();
        });
        assertThat(tried).containsExactly(FIRST, Duration.ofMillis(3000), Duration.ofMillis(6000));
    }

    @Test
    void noDecidingTryFailsSayingTheRuleCouldNotBeChecked() {
        List<Duration> tried = new ArrayList<>();
        assertThatThrownBy(() -> GrowingDelay.check("S0", FIRST, delay -> {
            tried.add(delay);
            return Optional.of("the claim came back late");
        })).isInstanceOf(AssertionError.class)
                .hasMessageContaining("rule S0 could not be checked")
                .hasMessageContaining("with 1500 ms: the claim came back late")
                .hasMessageContaining("with 6000 ms: the claim came back late");
        assertThat(tried).hasSize(GrowingDelay.TRIES);
    }

    @Test
    void aFailedAssertionIsNotRetried() {
        List<Duration> tried = new ArrayList<>();
        assertThatThrownBy(() -> GrowingDelay.check("S0", FIRST, delay -> {
            tried.add(delay);
            throw new AssertionError("claimed before its run_at");
        })).hasMessage("claimed before its run_at");
        assertThat(tried).containsExactly(FIRST);
    }
}
