package dev.drover.libsql;

import dev.drover.api.StorageException;
import dev.drover.libsql.hrana.Batch;
import dev.drover.libsql.hrana.BatchResult;
import dev.drover.libsql.hrana.Dialect;
import dev.drover.libsql.hrana.HranaClient;
import dev.drover.libsql.hrana.HranaErrors;
import dev.drover.libsql.hrana.HranaResult;
import dev.drover.libsql.hrana.HranaStatement;
import dev.drover.sqlite.sql.SqlResult;
import dev.drover.sqlite.sql.SqlRow;
import dev.drover.sqlite.sql.SqlStatement;
import dev.drover.sqlite.sql.SqlTransport;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQLite backend's statements sent to a remote libSQL / Turso database over Hrana. A {@link #write} is ONE
 * batch: {@code BEGIN IMMEDIATE}, each statement only if the one before succeeded, {@code COMMIT}, and a
 * {@code ROLLBACK} if the commit did not happen. So every job operation (a claim decided on the primary with
 * {@code UPDATE ... RETURNING}, a settle, a push) is atomic on the server and needs no interactive transaction.
 * On tursodb, which reports no affected-row counts, each statement is followed by {@code SELECT changes()}, and the
 * batch first rolls back a transaction someone may have left open on its one shared connection.
 */
public final class HranaSqlTransport implements SqlTransport {
    private final HranaClient client;

    public HranaSqlTransport(HranaClient client) {
        this.client = client;
    }

    @Override
    public List<SqlResult> write(List<SqlStatement> statements) {
        boolean countChanges = client.dialect() == Dialect.TURSODB;
        Batch batch = new Batch();
        if (client.dialect() == Dialect.TURSODB) batch.add(HranaStatement.of("ROLLBACK"), Batch.not(Batch.isAutocommit()));
        int previous = batch.add(HranaStatement.of("BEGIN IMMEDIATE"), null);
        int[] statementSteps = new int[statements.size()];
        int[] changeSteps = new int[statements.size()];
        for (int i = 0; i < statements.size(); i++) {
            SqlStatement s = statements.get(i);
            statementSteps[i] = batch.add(new HranaStatement(s.sql(), s.args()), Batch.ok(previous));
            previous = statementSteps[i];
            if (countChanges) {
                changeSteps[i] = batch.add(HranaStatement.of("SELECT changes() AS n"), Batch.ok(previous));
                previous = changeSteps[i];
            }
        }
        int commit = batch.add(HranaStatement.of("COMMIT"), Batch.ok(previous));
        batch.add(HranaStatement.of("ROLLBACK"), Batch.not(Batch.ok(commit)));

        BatchResult result = client.batch(batch);
        if (!result.succeeded(commit)) throw failure(batch, result, statements.size());
        List<SqlResult> out = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            HranaResult r = result.results().get(statementSteps[i]);
            long changes = countChanges
                    ? ((Number) result.results().get(changeSteps[i]).rows().getFirst().get("n")).longValue()
                    : r.affectedRowCount();
            out.add(new SqlResult(rows(r), changes));
        }
        return out;
    }

    /** The first step that failed, named; or the commit, if nothing before it did. */
    private StorageException failure(Batch batch, BatchResult result, int statements) {
        for (int step = 0; step < batch.size(); step++) {
            BatchResult.StepError e = result.errors().get(step);
            if (e == null) continue;
            if (batch.statement(step).sql().equals("ROLLBACK")) continue;
            String what = batch.statement(step).sql().startsWith("BEGIN") ? "starting a write transaction"
                    : "a write of " + statements + " statement(s) (" + abbreviate(batch.statement(step).sql()) + ")";
            return HranaErrors.stepFailure(client.where(), what, e.message(), e.code());
        }
        return new StorageException(client.where() + ": a write of " + statements + " statement(s) did not commit, and the server gave no reason; will try again", true);
    }

    @Override
    public SqlResult read(SqlStatement statement) {
        HranaResult r = client.execute(new HranaStatement(statement.sql(), statement.args()));
        return new SqlResult(rows(r), 0);
    }

    private static List<SqlRow> rows(HranaResult r) {
        List<SqlRow> rows = new ArrayList<>(r.rows().size());
        r.rows().forEach(values -> rows.add(SqlRow.of(values)));
        return rows;
    }

    private static String abbreviate(String sql) {
        String s = sql.strip().replaceAll("\\s+", " ");
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    @Override
    public String describe() {
        return client.where();
    }

    @Override
    public void close() {
        // one HTTP request per call: nothing held open
    }
}
