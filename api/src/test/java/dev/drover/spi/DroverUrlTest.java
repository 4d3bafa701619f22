package dev.drover.spi;

import dev.drover.api.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DroverUrlTest {

    @Test
    void splitsSchemeLocationAndParameters() {
        DroverUrl url = DroverUrl.parse("SQLite:data/jobs.db?busyTimeout=5000&readers=3");
        assertThat(url.scheme()).isEqualTo("sqlite");
        assertThat(url.location()).isEqualTo("data/jobs.db");
        assertThat(url.params()).containsEntry("busyTimeout", "5000").containsEntry("readers", "3");
        assertThat(url.intParam("busyTimeout", 1)).isEqualTo(5000);
        assertThat(url.intParam("missing", 7)).isEqualTo(7);
    }

    @Test
    void memoryLocationKeepsItsColons() {
        assertThat(DroverUrl.parse("sqlite::memory:").location()).isEqualTo(":memory:");
    }

    @Test
    void passwordsAndTokensNeverShowInTheRedactedForm() {
        DroverUrl url = DroverUrl.parse("postgresql://app:s3cr3t-pw@db.internal:5432/jobs?authToken=tok-123&sslmode=require");
        assertThat(url.toString()).doesNotContain("s3cr3t-pw").doesNotContain("tok-123")
                .contains("app:***@").contains("authToken=***").contains("sslmode=require");
        assertThat(url.raw()).contains("s3cr3t-pw");
    }

    @Test
    void malformedUrlSaysWhatIsExpected() {
        assertThatThrownBy(() -> DroverUrl.parse("jobs.db"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("expected scheme:location");
        assertThatThrownBy(() -> DroverUrl.parse(" "))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("DROVER_URL");
    }

    @Test
    void malformedParameterIsNamedWithoutLeakingSecrets() {
        assertThatThrownBy(() -> DroverUrl.parse("libsql://db?token=abc&oops"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("oops")
                .hasMessageNotContaining("abc");
    }

    @Test
    void unknownParameterListsTheKnownOnes() {
        DroverUrl url = DroverUrl.parse("sqlite:jobs.db?busytimeout=1");
        assertThatThrownBy(() -> url.requireKnownParams(Set.of("busyTimeout", "readers")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("\"busytimeout\"")
                .hasMessageContaining("busyTimeout, readers");
    }

    @Test
    void nonNumericParameterIsNamed() {
        DroverUrl url = DroverUrl.parse("sqlite:jobs.db?busyTimeout=soon");
        assertThatThrownBy(() -> url.intParam("busyTimeout", 1))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("busyTimeout").hasMessageContaining("soon");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "pgmq://app:s3cr3t@db:5432/jobs",
            "pgmq://app:p@ss-s3cr3t@db:5432/jobs",
            "pgmq://app:s3cr3t/pw@db:5432/jobs?mode=plain",
            "pgmq://app:s3#cr3t:x@db/jobs",
            "pgmq://app:s3cr?3t@db/jobs",
            "pgmq://app@db/jobs?password=s3cr3t",
            "libsql://db.turso.io?authToken=s3cr3t&tls=false"})
    void passwordsHoldingUrlCharactersNeverShow(String raw) {
        DroverUrl url;
        try {
            url = DroverUrl.parse(raw);
        } catch (ConfigurationException e) {
            assertThat(e.getMessage()).doesNotContain("cr3t").doesNotContain("3t@");
            return;
        }
        assertThat(url.redacted()).doesNotContain("s3cr3t").doesNotContain("cr3t").doesNotContain("pw@").contains("***");
        assertThat(url.toString()).doesNotContain("cr3t");
    }

    @Test
    void urlsWithoutSecretsAreShownAsGiven() {
        assertThat(DroverUrl.parse("pgmq://app@db:5432/jobs?mode=plain").redacted()).isEqualTo("pgmq://app@db:5432/jobs?mode=plain");
        assertThat(DroverUrl.parse("sqlite:/srv/jobs.db").redacted()).isEqualTo("sqlite:/srv/jobs.db");
        assertThat(DroverUrl.parse("pgmq://app:s3cr3t@db/jobs").redacted()).isEqualTo("pgmq://app:***@db/jobs");
    }
}
