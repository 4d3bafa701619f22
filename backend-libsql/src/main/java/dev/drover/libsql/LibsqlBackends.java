package dev.drover.libsql;

import dev.drover.api.Capability;
import dev.drover.libsql.hrana.HranaClient;
import dev.drover.spi.Backend;
import dev.drover.spi.DroverUrl;
import dev.drover.sqlite.store.InProcessWakeups;
import dev.drover.sqlite.store.SqlTaskStore;
import dev.drover.sqlite.SqliteBackend;
import dev.drover.sqlite.store.SqliteSchema;
import dev.drover.sqlite.sql.SqlTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;

/**
 * Drover on libSQL: the SQLite backend's schema, migrations and statements ({@link SqlTaskStore}), carried by
 * sqlite-jdbc to a local file, or by Hrana to a remote Turso / libsql-server database, or split between the two in
 * an embedded replica (writes and claims on the primary, inspection reads on the local copy).
 */
public final class LibsqlBackends {
    private static final Logger log = LoggerFactory.getLogger(LibsqlBackends.class);
    /**
     * Remote: no TRANSACTIONAL_PUSH (the application has no JDBC connection to the remote database). Wake-ups are
     * in-process only: a push through any backend of this process on the same server wakes its workers; pushes from
     * other processes are found by polling.
     */
    static final Set<Capability> REMOTE_CAPABILITIES = EnumSet.of(Capability.PRIORITY, Capability.WAKEUPS,
            Capability.INSPECTION, Capability.MULTI_PROCESS, Capability.DURABLE, Capability.FOLLOW_UPS, Capability.UNIQUE_TASKS, Capability.ATTEMPT_HISTORY, Capability.OLDEST_DUE);

    private LibsqlBackends() {
    }

    public static Backend open(DroverUrl url) {
        LibsqlUrl parsed = LibsqlUrl.parse(url);
        return switch (parsed.mode()) {
            case LOCAL -> SqliteBackend.openFile(url);
            case REMOTE -> openRemote(parsed);
            case REPLICA -> openReplica(parsed);
        };
    }

    /**
     * An embedded replica: the first sync (a bootstrap when the file is new) runs before the backend is returned, so
     * reads are local from the start.
     */
    static Backend openReplica(LibsqlUrl url) {
        HranaClient client = new HranaClient(url.base(), url.where(), url.token(), url.timeout());
        client.detectDialect();
        String remote = url.base().toString().replaceAll("/+$", "");
        SharedReplica replica = SharedReplica.acquire(url.file(), remote, url.token(), url.syncInterval(), url.maxStaleness());
        try {
            SqlTransport transport = new ReplicaSqlTransport(new HranaSqlTransport(client), replica);
            int version = SqliteSchema.migrate(transport, Clock.systemUTC());
            replica.syncNow();
            log.info("opened {} with an embedded replica at {} ({}, schema version {})", url.where(), replica.live(), client.dialect(), version);
            return new SqlTaskStore(transport, InProcessWakeups.acquire(url.where()), REMOTE_CAPABILITIES, Clock.systemUTC());
        } catch (RuntimeException e) {
            replica.release();
            throw e;
        }
    }

    static Backend openRemote(LibsqlUrl url) {
        HranaClient client = new HranaClient(url.base(), url.where(), url.token(), url.timeout());
        client.detectDialect();
        SqlTransport transport = new HranaSqlTransport(client);
        int version = SqliteSchema.migrate(transport, Clock.systemUTC());
        log.info("opened {} ({}, schema version {})", url.where(), client.dialect(), version);
        return new SqlTaskStore(transport, InProcessWakeups.acquire(url.where()), REMOTE_CAPABILITIES, Clock.systemUTC());
    }
}
