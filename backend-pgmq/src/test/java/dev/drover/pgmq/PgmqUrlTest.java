package dev.drover.pgmq;

import dev.drover.api.ConfigurationException;
import dev.drover.api.DroverException;
import dev.drover.api.StorageException;
import dev.drover.conformance.Await;
import dev.drover.conformance.Names;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The URLs the PGMQ backend opens, what it refuses and how it says so, and that a password never shows. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgmqUrlTest {
    private static final String PASSWORD = "s3cr3t-pw";
    /** {@code user@host:port} of the test server, as {@link PgTestDatabase} reaches it. */
    private static final String USER_AT_HOST = PgTestDatabase.HOST_PORT_USER;
    private static final String USER = USER_AT_HOST.substring(0, USER_AT_HOST.indexOf('@'));
    private static final String HOST_PORT = USER_AT_HOST.substring(USER_AT_HOST.indexOf('@') + 1);

    /** The test database's URL with another scheme and extra parameters. */
    private static String withScheme(String scheme, String params) {
        String url = PgTestDatabase.URL;
        String rest = url.substring(url.indexOf("://"));
        return scheme + rest + (rest.contains("?") ? "&" : "?") + params;
    }

    /** The exception, its causes, and its stack trace, as text: where a password must not appear. */
    private static String everything(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void pgmqPostgresqlAndPostgresUrlsAllOpenTheSameDatabase() {
        String describePgmq;
        try (Backend backend = Backends.open(withScheme("pgmq", "mode=plain"))) {
            assertThat(backend).isInstanceOf(PgmqBackend.class);
            assertThat(backend.counts(Names.queue())).isEmpty();
            describePgmq = backend.describe();
        }
        for (String scheme : new String[]{"postgresql", "postgres"}) {
            try (Backend backend = Backends.open(withScheme(scheme, "mode=plain"))) {
                assertThat(backend).as(scheme + "://").isInstanceOf(PgmqBackend.class);
                assertThat(backend.describe()).as(scheme + "://").isEqualTo(describePgmq);
                assertThat(backend.counts(Names.queue())).isEmpty();
            }
        }
        assertThat(describePgmq).startsWith("PostgreSQL ").contains("(plain SQL)");
    }

    @Test
    void aPasswordInTheUrlNeverAppearsInDescribe() {
        String url = "pgmq://" + USER + ":" + PASSWORD + "@" + HOST_PORT + "/test?mode=plain"; // trust auth ignores the password
        try (Backend backend = Backends.open(url)) {
            assertThat(backend.describe()).doesNotContain(PASSWORD).contains(USER + "@" + HOST_PORT + "/test");
            assertThat(backend.toString()).doesNotContain(PASSWORD);
        }
        try (Backend backend = Backends.open("pgmq://" + USER_AT_HOST + "/test?mode=plain&password=" + PASSWORD)) {
            assertThat(backend.describe()).doesNotContain(PASSWORD);
        }
    }

    @Test
    void aServerThatDoesNotAnswerIsAStorageExceptionNamingHostAndPortWithoutThePassword() throws Exception {
        int port = deadPort();
        String url = "pgmq://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/test?mode=plain";

        StorageException e = catchThrowableOfType(StorageException.class, () -> Backends.open(url).close());

        assertThat(e).as("the exception opening %s", url).isNotNull();
        assertThat(e.getMessage()).contains("127.0.0.1:" + port).doesNotContain(PASSWORD);
        assertThat(everything(e)).as("the exception, its causes and their stack traces").doesNotContain(PASSWORD);
    }

    /** A port on 127.0.0.1 where nothing listens. */
    private static int deadPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } // closed: nothing listens there now
    }

    @Test
    void aPasswordWithUnencodedUrlCharactersIsRefusedNotTakenForAnotherServer() throws Exception {
        int port = deadPort();
        SoftAssertions softly = new SoftAssertions();
        for (String password : new String[]{"p@ss-s3cr3t", "s3cr3t/pw"}) {
            String url = "pgmq://" + USER + ":" + password + "@127.0.0.1:" + port + "/test?mode=plain";
            try (Backend backend = Backends.open(url)) {
                softly.fail("password %s: %s opened %s, though nothing listens on 127.0.0.1:%s", password, url, backend.describe(), port);
            } catch (DroverException e) {
                softly.assertThat(e.getMessage()).as("password %s", password).satisfiesAnyOf(
                        m -> assertThat(m).contains("percent-encoded"),
                        m -> assertThat(m).contains(USER + "@127.0.0.1:" + port + "/test").doesNotContain("localhost"));
            }
        }
        softly.assertAll();
    }

    @Test
    void aPasswordWithUnencodedUrlCharactersNeverAppearsInAnError() throws Exception {
        int port = deadPort();
        SoftAssertions softly = new SoftAssertions();
        for (String password : new String[]{"p@ss-s3cr3t", "s3cr3t/pw", "s3cr3t?pw", "s3cr3t#pw"}) {
            for (String params : new String[]{"mode=plain", "poolsize=3"}) {
                String url = "pgmq://" + USER + ":" + password + "@127.0.0.1:" + port + "/test?" + params;
                try (Backend backend = Backends.open(url)) {
                    softly.assertThat(backend.describe()).as("describe() of %s", url).doesNotContain("s3cr3t");
                } catch (DroverException e) {
                    softly.assertThat(everything(e)).as("the error opening %s", url).doesNotContain("s3cr3t");
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void anUnknownParameterIsRefusedNamingItWithoutThePassword() {
        String url = "pgmq://" + USER + ":" + PASSWORD + "@" + HOST_PORT + "/test?poolsize=3";
        assertThatThrownBy(() -> Backends.open(url).close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("\"poolsize\"")
                .hasMessageContaining("poolSize") // the right spelling is among the known parameters
                .satisfies(e -> assertThat(everything(e)).doesNotContain(PASSWORD));
    }

    @Test
    void aBadModeIsRefusedNamingTheParameter() {
        String url = "pgmq://" + USER + ":" + PASSWORD + "@" + HOST_PORT + "/test?mode=bogus";
        assertThatThrownBy(() -> Backends.open(url).close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mode")
                .hasMessageContaining("bogus")
                .hasMessageContaining("auto, extension or plain")
                .satisfies(e -> assertThat(everything(e)).doesNotContain(PASSWORD));
    }

    @Test
    void aUrlWithoutADatabaseIsRefused() {
        for (String url : new String[]{
                "pgmq://" + USER + ":" + PASSWORD + "@" + HOST_PORT,
                "pgmq://" + USER + ":" + PASSWORD + "@" + HOST_PORT + "/",
                "postgresql://" + USER + ":" + PASSWORD + "@" + HOST_PORT + "/?mode=plain"}) {
            assertThatThrownBy(() -> Backends.open(url).close())
                    .as(url)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("names no database")
                    .satisfies(e -> assertThat(everything(e)).doesNotContain(PASSWORD));
        }
    }

    @Test
    void extensionModeOnADatabaseWithoutPgmqSaysToCreateTheExtension() throws Exception {
        boolean pgmqThere = (Boolean) Sql.value(PgTestDatabase.URL, """
                SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgmq')
                    OR EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                                WHERE n.nspname = 'pgmq' AND p.proname = 'create')""");
        Assumptions.assumeFalse(pgmqThere, "the test database has pgmq installed, so mode=extension would open it");

        assertThatThrownBy(() -> Backends.open(PgTestDatabase.url("mode=extension")).close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("mode=extension")
                .hasMessageContaining("CREATE EXTENSION pgmq");
    }

    @Test
    void pgjdbcPropertiesPassThrough() throws Exception {
        String applicationName = "drover-url-test-" + Names.letters(8);
        String count = "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?";
        try (Backend backend = Backends.open(PgTestDatabase.url("mode=plain&ApplicationName=" + applicationName + "&connectTimeout=5"))) {
            assertThat(backend.counts(Names.queue())).isEmpty();
            assertThat(Sql.count(PgTestDatabase.URL, count, applicationName))
                    .as("connections named %s while the backend is open", applicationName).isPositive();
        }
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                return Sql.count(PgTestDatabase.URL, count, applicationName) == 0;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the backend's connections are gone after close");
    }
}
