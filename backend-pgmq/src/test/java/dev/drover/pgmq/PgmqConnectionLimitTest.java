package dev.drover.pgmq;

import dev.drover.api.QueueName;
import dev.drover.api.StorageException;
import dev.drover.conformance.Await;
import dev.drover.conformance.Names;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * When the server refuses a connection (too many clients), the error says so and names this Drover's share: the pool
 * size it asked for and the URL parameter poolSize that sets it. Provoked with a role of the test's own whose
 * CONNECTION LIMIT is 1, not by filling the server's max_connections, which other tests share.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PgmqConnectionLimitTest {
    private final String role = "drover_limit_" + Names.letters(10); // [a-z_]: safe as an identifier

    @BeforeEach
    void createRole() throws Exception {
        Sql.execute(PgTestDatabase.URL, "CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 1");
    }

    @AfterEach
    void dropRole() throws Exception {
        Sql.execute(PgTestDatabase.URL, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ?", role);
        Sql.execute(PgTestDatabase.URL, "DROP ROLE IF EXISTS " + role);
    }

    private String url(String database, String params) {
        return "pgmq://" + role + "@" + PgTestDatabase.HOST_PORT_USER.substring(PgTestDatabase.HOST_PORT_USER.indexOf('@') + 1)
                + "/" + database + "?" + params;
    }

    @Test
    void openingWhenTheServerRefusesEveryConnectionNamesThePoolSizeAndPoolSize() throws Exception {
        String database;
        try (Connection c = Sql.connect(PgTestDatabase.URL)) {
            database = c.getCatalog();
        }
        try (Connection theOnlyOne = Sql.connect(url(database, "mode=plain"))) { // the role's one connection, taken
            StorageException e = catchThrowableOfType(StorageException.class,
                    () -> Backends.open(url(database, "mode=plain&poolSize=3")).close());

            assertThat(e).as("opening a backend when the server refuses it a connection").isNotNull();
            assertThat(e.getMessage()).contains("too many connections for role")
                    .contains("the server refused a new connection")
                    .contains("up to 3 connection(s)").contains("poolSize=3").contains("max_connections")
                    .doesNotContain("check the URL");
        }
    }

    /**
     * In use: the pool's one connection is busy (its statement waits on a lock the test holds), so the next call needs a
     * second one, which the server refuses.
     */
    @Test
    void aCallThatNeedsAConnectionTheServerRefusesNamesThePoolSizeAndPoolSize() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(role);
             Backend backend = Backends.open(url(db.name(), "mode=plain&wakeups=false&poolSize=2"))) {
            QueueName busy = Names.queue();
            QueueName other = Names.queue();
            backend.counts(busy);
            backend.counts(other);
            try (Connection admin = Sql.connect(db.url()); Statement s = admin.createStatement()) {
                admin.setAutoCommit(false);
                s.execute("LOCK TABLE " + Sql.q(busy) + " IN ACCESS EXCLUSIVE MODE");
                CompletableFuture<?> waiting = CompletableFuture.runAsync(() -> backend.counts(busy));
                Await.until(Duration.ofSeconds(20), () -> {
                    try {
                        return Sql.count(PgTestDatabase.URL, "SELECT count(*) FROM pg_stat_activity WHERE usename = ? "
                                + "AND wait_event_type = 'Lock'", role) == 1;
                    } catch (Exception ex) {
                        throw new AssertionError(ex);
                    }
                }, "the pool's one connection waits on the lock");

                StorageException e = catchThrowableOfType(StorageException.class, () -> backend.counts(other));

                admin.rollback();
                waiting.get(20, TimeUnit.SECONDS);
                assertThat(e).as("a call needing a second connection").isNotNull();
                assertThat(e.getMessage()).contains("counting tasks of queue " + other)
                        .contains("the server refused a new connection")
                        .contains("up to 2 connection(s)").contains("poolSize=2").contains("max_connections")
                        .doesNotContain("unreachable or busy");
                assertThat(e.isTransient()).as("transient: a connection may be free later").isTrue();
            }
        }
    }
}
