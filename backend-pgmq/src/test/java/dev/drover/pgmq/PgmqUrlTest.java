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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
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

    /** The secret of {@link #secretsNeverAppear}: long enough that it cannot turn up by chance. */
    private static final String SECRET = "S3cretPW-9f2c";

    /**
     * Where a secret may be in a PGMQ URL: every pgjdbc property whose value is or unlocks a secret, the arguments pgjdbc
     * passes to application classes, names that say they hold a secret though no backend reads them, a misspelt
     * password (unknown, so unclassifiable), and the password of user:password@.
     */
    static Stream<String> secretBearingParameters() {
        return Stream.of("password", "sslpassword", "sslkey", "sslpasswordcallback", "sslfactoryarg", "socketFactoryArg",
                "connectExecutorArg", "authToken", "token", "apiSecret", "private_key", "pasword", "PASSWORD", "user:password@");
    }

    /** URLs that go down every error path of opening a PGMQ URL, each with {@code secret} (name=value) among its parameters. */
    private static List<String> errorUrls(String userInfo, String secret, int deadPort) {
        String base = "pgmq://" + userInfo + HOST_PORT;
        String and = secret.isEmpty() ? "" : "&" + secret;
        String first = secret.isEmpty() ? "" : secret + "&";
        return List.of(
                base + "/test?" + first + "bogus=1",                 // unknown parameter after it
                base + "/test?bogus=1" + and,                        // unknown parameter before it
                base + "/test?" + first + "poolSize=abc",            // not a number
                base + "/test?" + first + "poolSize=0",              // out of range
                base + "/test?" + first + "defaultMaxAttempts=x",
                base + "/test?" + first + "mode=bogus",
                base + "/test?" + first + "wakeups=maybe",
                base + "/test?" + first + "oops",                    // not name=value
                base + "/test?" + first + "x=%zz",                   // a broken escape
                base + "?" + first + "mode=plain",                   // no database
                "pgmq://" + userInfo + "127.0.0.1:notaport/test?" + first + "mode=plain",
                "pgmq://" + userInfo + "127.0.0.1:99999/test?" + first + "mode=plain",
                "pgmq:" + userInfo + "test?" + first + "mode=plain", // no //
                "pgmqx://" + userInfo + HOST_PORT + "/test?" + first + "mode=plain", // no backend for the scheme
                "pgmq://" + userInfo + "127.0.0.1:" + deadPort + "/test?" + first + "mode=plain&connectTimeout=5"); // nothing listens
    }

    /** The URL's user info and secret parameter for one of {@link #secretBearingParameters()}. */
    private static String[] userInfoAndParam(String parameter) {
        return parameter.equals("user:password@")
                ? new String[]{USER + ":" + SECRET + "@", ""}
                : new String[]{USER + "@", parameter + "=" + SECRET};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secretBearingParameters")
    void secretsNeverAppear(String parameter) throws Exception {
        String[] at = userInfoAndParam(parameter);
        SoftAssertions softly = new SoftAssertions();
        for (String url : errorUrls(at[0], at[1], deadPort())) {
            Throwable e = catchThrowable(() -> Backends.open(url).close());
            softly.assertThat(e).as("opening %s", url).isInstanceOf(DroverException.class);
            if (e != null) softly.assertThat(everything(e)).as("the error opening %s, its causes and suppressed exceptions", url).doesNotContain(SECRET);
        }
        // and where the URL opens (trust auth ignores a password; sslmode=disable so no key is read)
        String opens = "pgmq://" + at[0] + HOST_PORT + "/test?mode=plain&sslmode=disable" + (at[1].isEmpty() ? "" : "&" + at[1]);
        try (Backend backend = Backends.open(opens)) {
            softly.assertThat(backend.describe()).as("describe() of %s", opens).doesNotContain(SECRET);
            softly.assertThat(backend.toString()).doesNotContain(SECRET);
        } catch (DroverException e) {
            softly.assertThat(everything(e)).as("the error opening %s", opens).doesNotContain(SECRET);
        }
        softly.assertAll();
    }

    @Test
    void anSslPasswordIsHiddenAndTheUnknownParameterNamed() {
        String url = "pgmq://" + USER_AT_HOST + "/test?mode=plain&bogus=1&sslpassword=" + SECRET;
        assertThatThrownBy(() -> Backends.open(url).close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown parameter \"bogus\"")
                .hasMessageContaining("mode=plain&bogus=***&sslpassword=***")
                .satisfies(e -> assertThat(everything(e)).doesNotContain(SECRET));
        // after a secret, an unknown name may be the rest of it (a raw & in the secret): named by its place
        assertThatThrownBy(() -> Backends.open("pgmq://" + USER_AT_HOST + "/test?sslpassword=" + SECRET + "&bogus=1").close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown parameter (the one after sslpassword")
                .satisfies(e -> assertThat(everything(e)).doesNotContain(SECRET));
        assertThatThrownBy(() -> Backends.open("pgmq://" + USER_AT_HOST + "/test?sslpassword=" + SECRET + "&poolSize=abc").close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("poolSize").hasMessageContaining("abc")
                .satisfies(e -> assertThat(everything(e)).doesNotContain(SECRET));
    }

    @Test
    void aParameterAfterASecretMayBeTheRestOfItAndIsNotNamed() {
        // a password holding a raw &: "S3cret&PW-9f2c=x" splits into password=S3cret and PW-9f2c=x
        String url = "pgmq://" + USER_AT_HOST + "/test?mode=plain&password=S3cret&PW-9f2c=x";
        assertThatThrownBy(() -> Backends.open(url).close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("%26")
                .satisfies(e -> assertThat(everything(e)).doesNotContain("PW-9f2c").doesNotContain("S3cret"));
    }

    /**
     * Log lines too: a JVM of its own opens every URL of {@link #errorUrls} and one that works, with each secret-bearing
     * parameter, with slf4j at TRACE (Drover, HikariCP, which logs its configuration at DEBUG) and pgjdbc's
     * java.util.logging at ALL; no secret may appear in anything it writes.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void noSecretReachesALogLineEvenAtTrace(@TempDir Path dir) throws Exception {
        List<String> urls = new java.util.ArrayList<>();
        int deadPort = deadPort();
        for (String parameter : secretBearingParameters().toList()) {
            String[] at = userInfoAndParam(parameter);
            urls.addAll(errorUrls(at[0], at[1], deadPort));
            urls.add("pgmq://" + at[0] + HOST_PORT + "/test?mode=plain&sslmode=disable" + (at[1].isEmpty() ? "" : "&" + at[1]));
        }
        Path julConfig = dir.resolve("logging.properties");
        Files.writeString(julConfig, """
                handlers=java.util.logging.ConsoleHandler
                java.util.logging.ConsoleHandler.level=ALL
                org.postgresql.level=ALL
                """);
        Path output = dir.resolve("child.log");
        List<String> command = new java.util.ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace", "-Djava.util.logging.config.file=" + julConfig,
                "-cp", System.getProperty("java.class.path"), UrlErrorsChild.class.getName()));
        command.addAll(urls);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(child.waitFor(150, TimeUnit.SECONDS)).as("the child ended").isTrue();
        String logged = Files.readString(output);
        assertThat(logged).as("the child's output").contains("done " + urls.size());
        assertThat(logged).as("HikariCP's configuration, logged at DEBUG (else this test checks nothing)").contains("dataSource");
        assertThat(logged).as("pgjdbc's logging at ALL").contains("org.postgresql");
        assertThat(logged).as("everything the child logged").doesNotContain(SECRET);
    }

    @Test
    void aPortThatIsNotANumberIsNamedAsThePortNotBlamedOnThePassword() {
        String url = "pgmq://" + USER + ":" + PASSWORD + "@127.0.0.1:notaport/test";
        assertThatThrownBy(() -> Backends.open(url).close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("the port \"notaport\" after host 127.0.0.1 is not a number")
                .hasMessageContaining("127.0.0.1:5432")
                .hasMessageNotContaining("percent-encode")
                .satisfies(e -> assertThat(everything(e)).doesNotContain(PASSWORD));
        assertThatThrownBy(() -> Backends.open("pgmq://127.0.0.1:notaport/test").close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is not a port number: write the port in digits (127.0.0.1:5432)");
        assertThatThrownBy(() -> Backends.open("pgmq://" + USER_AT_HOST.replace(":5432", ":99999") + "/test").close())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("port 99999 is not a TCP port");
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
