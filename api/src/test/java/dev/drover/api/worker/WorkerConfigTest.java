package dev.drover.api.worker;

import dev.drover.api.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerConfigTest {

    @Test
    void defaultsAreBoundedAndHeartbeatIsAThirdOfTheLease() {
        WorkerConfig config = WorkerConfig.defaults();
        assertThat(config.concurrency()).isEqualTo(8);
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.withLease(Duration.ofSeconds(3)).heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.stuckTaskLimit()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void badValuesNameTheSetting() {
        assertThatThrownBy(() -> WorkerConfig.defaults().withConcurrency(0))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> WorkerConfig.defaults().withHeartbeatInterval(Duration.ofMinutes(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("heartbeatInterval").hasMessageContaining("shorter than leaseDuration");
        assertThatThrownBy(() -> WorkerConfig.defaults().withPollInterval(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("pollInterval");
        assertThatThrownBy(() -> WorkerConfig.defaults().withTaskTimeout(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("taskTimeout");
        assertThatThrownBy(() -> WorkerConfig.defaults().withStuckTaskLimit(null))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("stuckTaskLimit");
    }
}
