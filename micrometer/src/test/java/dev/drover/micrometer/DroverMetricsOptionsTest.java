package dev.drover.micrometer;

import dev.drover.api.QueueName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DroverMetricsOptionsTest {
    @Test
    void defaultsRefreshEveryFiveSecondsWithoutHistograms() {
        DroverMetricsOptions o = DroverMetricsOptions.defaults();
        assertThat(o.refreshInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.queueGauges()).isTrue();
        assertThat(o.percentileHistograms()).isFalse();
        assertThat(o.queues()).isEmpty();
    }

    @Test
    void aRefreshIntervalBelowTheMinimumIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> DroverMetricsOptions.defaults().refreshInterval(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshInterval").hasMessageContaining("PT0.1S");
    }

    @Test
    void queuesAreValidatedAndKeptOnce() {
        DroverMetricsOptions o = DroverMetricsOptions.defaults().queues("emails", "reports").queues("emails");
        assertThat(o.queues()).containsExactly(QueueName.of("emails"), QueueName.of("reports"));
        assertThatThrownBy(() -> DroverMetricsOptions.defaults().queues("no spaces allowed")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void storageRoundTripsAreNamedByWhatTheyDid() {
        var w = dev.drover.conformance.Names.worker("w");
        var q = QueueName.of("emails");
        assertThat(TaskMeters.operation(new dev.drover.api.worker.WorkerEvent.StorageRoundTrip(w, q, 0, 10, 3, Duration.ZERO))).isEqualTo("claim");
        assertThat(TaskMeters.operation(new dev.drover.api.worker.WorkerEvent.StorageRoundTrip(w, q, 4, 0, 0, Duration.ZERO))).isEqualTo("settle");
        assertThat(TaskMeters.operation(new dev.drover.api.worker.WorkerEvent.StorageRoundTrip(w, q, 4, 10, 2, Duration.ZERO))).isEqualTo("settle_and_claim");
    }
}
