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
        DroverUrl url = DroverUrl.parse("postgresql://app:s3cr3t-pw@db.internal:5432/jobs?authToken=tok-123&sslmode=require")
                .showingValuesOf(Set.of("authToken", "sslmode")); // a backend may declare authToken a setting: it looks secret
        assertThat(url.toString()).doesNotContain("s3cr3t-pw").doesNotContain("tok-123")
                .contains("app:***@").contains("authToken=***").contains("sslmode=require");
        assertThat(url.raw()).contains("s3cr3t-pw");
    }

    @Test
    void onlyTheValuesOfDeclaredSettingsShow() {
        String raw = "pgmq://app@db/jobs?mode=plain&sslpassword=S3cret&pasword=S3cret&sslmode=require&custom=S3cret";
        assertThat(DroverUrl.parse(raw).redacted()).as("nothing declared: after a secret, even the names may be part of it")
                .isEqualTo("pgmq://app@db/jobs?mode=***&sslpassword=***&***&***&***");
        assertThat(DroverUrl.parse(raw).showingValuesOf(Set.of("mode", "sslmode", "sslpassword")).redacted())
                .as("settings declared; sslpassword looks secret, pasword (right after it) and custom are unknown")
                .isEqualTo("pgmq://app@db/jobs?mode=plain&sslpassword=***&***&sslmode=require&custom=***");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"password", "sslpassword", "PASSWD", "pwd", "sslkey", "apiKey",
            "authToken", "token", "client_secret", "credentials", "private_key", "sessionId", "cookie", "signature", "passphrase"})
    void namesThatSaySecretLookSecret(String name) {
        assertThat(DroverUrl.looksSecret(name)).isTrue();
        assertThat(DroverUrl.parse("x://h/db?" + name + "=S3cret").showingValuesOf(Set.of(name)).redacted()).doesNotContain("S3cret");
    }

    @Test
    void settingsDoNotLookSecret() {
        for (String name : new String[]{"mode", "poolSize", "sslmode", "busyTimeout", "ApplicationName", "connectTimeout", "tls"}) {
            assertThat(DroverUrl.looksSecret(name)).as(name).isFalse();
        }
    }

    @Test
    void whatFollowsASecretMayBeTheRestOfItAndIsHiddenWhole() {
        // the password "S3cret&tail9=more" written without %26
        DroverUrl url = DroverUrl.parse("pgmq://app@db/jobs?mode=plain&password=S3cret&tail9=more&x=1").showingValuesOf(Set.of("mode", "x"));
        assertThat(url.redacted()).isEqualTo("pgmq://app@db/jobs?mode=plain&password=***&***&x=1");
        assertThat(url.quoted("tail9")).doesNotContain("tail9").contains("after password").contains("%26");
        assertThat(url.quoted("mode")).isEqualTo("\"mode\"");
        assertThatThrownBy(() -> url.requireKnownParams(Set.of("mode", "password", "x")))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tail9").doesNotContain("more").doesNotContain("S3cret"));
    }

    @Test
    void aBrokenEscapeIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> DroverUrl.parse("pgmq://app@db/jobs?password=S3%zzcret"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("%25")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("zz").doesNotContain("cret"));
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
    void malformedParameterIsNamedByItsPlaceWithoutLeakingSecrets() {
        // "oops" may be the rest of the token (a raw & in it): it is not echoed
        assertThatThrownBy(() -> DroverUrl.parse("libsql://db?token=abc&oops"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("parameter 2 is not name=value")
                .hasMessageNotContaining("oops")
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
        assertThat(DroverUrl.parse("pgmq://app@db:5432/jobs?mode=plain").showingValuesOf(Set.of("mode")).redacted())
                .isEqualTo("pgmq://app@db:5432/jobs?mode=plain");
        assertThat(DroverUrl.parse("sqlite:/srv/jobs.db").redacted()).isEqualTo("sqlite:/srv/jobs.db");
        assertThat(DroverUrl.parse("pgmq://app:s3cr3t@db/jobs").redacted()).isEqualTo("pgmq://app:***@db/jobs");
    }
}
