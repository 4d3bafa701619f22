package dev.drover.libsql;

import dev.drover.sqlite.sql.SqlResult;
import dev.drover.sqlite.sql.SqlStatement;
import dev.drover.sqlite.sql.SqlTransport;

import java.util.List;

/**
 * The embedded replica's split: every write (push, claim, heartbeat, settle, cancel, requeue) is one Hrana batch on
 * the primary, so claims are decided there, never from the local copy; every read (counts, get, list) is answered
 * from the local replica file, synced first when this process wrote since the last sync.
 */
final class ReplicaSqlTransport implements SqlTransport {
    private final HranaSqlTransport primary;
    private final SharedReplica replica;

    ReplicaSqlTransport(HranaSqlTransport primary, SharedReplica replica) {
        this.primary = primary;
        this.replica = replica;
    }

    @Override
    public List<SqlResult> write(List<SqlStatement> statements) {
        List<SqlResult> results = primary.write(statements);
        replica.wrote();
        return results;
    }

    @Override
    public SqlResult read(SqlStatement statement) {
        return replica.read(statement);
    }

    @Override
    public String describe() {
        return primary.describe() + " (embedded replica " + replica.live() + ")";
    }

    @Override
    public void close() {
        replica.release();
    }
}
