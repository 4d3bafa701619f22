package dev.drover.pgmq;

import dev.drover.api.Capability;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.spi.WakeupSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The capabilities the PGMQ backend declares follow its options: WAKEUPS only when it has a wake-up source. */
class PgmqCapabilitiesTest {

    @Test
    void wakeupsAreDeclaredOnlyWhenTheBackendListens() {
        try (Backend listening = Backends.open(PgTestDatabase.plainUrl());
             Backend polling = Backends.open(PgTestDatabase.plainUrl() + "&wakeups=false")) {
            assertThat(listening.capabilities()).contains(Capability.WAKEUPS);
            assertThat(listening.wakeups()).isNotSameAs(WakeupSource.NONE);
            assertThat(polling.capabilities()).as("capabilities with wakeups=false")
                    .doesNotContain(Capability.WAKEUPS)
                    .contains(Capability.INSPECTION, Capability.MULTI_PROCESS, Capability.DURABLE, Capability.FOLLOW_UPS);
            assertThat(polling.wakeups()).isSameAs(WakeupSource.NONE);
        }
    }
}
