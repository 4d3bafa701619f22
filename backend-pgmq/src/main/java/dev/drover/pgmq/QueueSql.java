package dev.drover.pgmq;

import dev.drover.api.AttemptError;
import dev.drover.api.TaskState;

import java.util.EnumMap;
import java.util.Map;

/**
 * Every statement the backend runs on one queue's tables, built once per queue from its {@link QueueTables} and
 * the columns its tables really have (PGMQ 1.10 added {@code last_read_at}; older queues lack it). Columns are
 * always named, never taken by position.
 *
 * <p>How a Drover task lives in PGMQ (header keys are {@link Headers}):
 * <ul>
 *   <li>PENDING or RUNNING: a message in {@code q_<name>}. It is RUNNING while {@code read_ct} is above
 *       {@code drover-settled}, the read count at its last retry or release; a message read by another PGMQ
 *       client counts as running too. {@code vt} is the due time of a pending task and the lease expiry of a
 *       running one.</li>
 *   <li>The lease token is {@code msg_id:read_ct}. Every read raises {@code read_ct}, so a token is never given
 *       twice, and every transition after a claim is a statement guarded by the token ({@link #HELD}): a worker
 *       whose lease was taken over changes nothing.</li>
 *   <li>The attempt is {@code read_ct - drover-released}: a release gives its read back without lowering
 *       {@code read_ct}.</li>
 *   <li>DONE and CANCELLED: archived in {@code a_<name>} ({@code drover-outcome}); DEAD: a message of the
 *       dead-letter queue {@code <name>_dlq}, moved there in the same statement that removes it.</li>
 * </ul>
 */
final class QueueSql {
    /** {@code x.read_ct} at the message's last retry or release. */
    private static final String SETTLED = "coalesce(" + wholeNumber("drover-settled", "int", "0", "x.read_ct") + ", 0)";
    /** How many of the message's reads were released (given back), at most {@code x.read_ct}. */
    private static final String RELEASED = "coalesce(" + wholeNumber("drover-released", "int", "0", "x.read_ct") + ", 0)";
    /** The message's Drover task id: {@code drover-id} when it is a string that is not blank, else null. */
    private static final String DROVER_ID = "(CASE WHEN jsonb_typeof(x.headers->'drover-id') = 'string' AND x.headers->>'drover-id' ~ '\\S' "
            + "THEN x.headers->>'drover-id' END)";
    /** The message's task id: Drover's, or {@code pgmq-<msg_id>} for a message another client sent. */
    static final String ID = "coalesce(" + DROVER_ID + ", 'pgmq-' || x.msg_id)";
    private static final String BODY = "CASE WHEN x.headers->>'drover-encoding' = 'base64' THEN x.message #>> '{}' "
            + "ELSE coalesce(x.message::text, 'null') END";
    /** The token {@code (t.id, t.ct)} still holds the message's lease. */
    private static final String HELD = "x.msg_id = t.id AND x.read_ct = t.ct AND x.read_ct > " + SETTLED;
    private static final String CLOCK = "clock AS (SELECT date_trunc('milliseconds', clock_timestamp()) AS t)";
    private static final String NOW_MS = ms("clock.t");
    /**
     * The message's headers as an object to add Drover's keys to: PGMQ lets other clients send any JSON there (or
     * none); a value that is not an object is kept under {@code original-headers}.
     */
    private static final String HEADERS = "(CASE WHEN jsonb_typeof(x.headers) = 'object' THEN x.headers "
            + "WHEN x.headers IS NULL OR jsonb_typeof(x.headers) = 'null' THEN '{}'::jsonb "
            + "ELSE jsonb_build_object('original-headers', x.headers) END)";
    /** Header keys a requeued task starts without: it is a new message with attempt 0. */
    private static final String RESET_KEYS = "ARRAY['drover-settled', 'drover-released', 'drover-outcome', 'drover-owner', "
            + "'drover-started-at', 'drover-finished-at', 'drover-attempt', 'drover-result', 'drover-queue']::text[]";

    final String push;
    final String followUp;
    private final String claimTemplate;
    private final String[] claimByBucket = new String[32];
    final String bury;
    final String running;
    final String heartbeat;
    final String complete;
    final String retry;
    final String kill;
    final String release;
    final String counts;
    final String oldestDue;
    final String getById;
    final String getByMessageId;
    final String cancelById;
    final String cancelByMessageId;
    final String cancelledAmong;
    final String requeueDeadById;
    final String deleteArchived;
    final String deleteDead;
    final String requeueCancelledById;
    final String requeueCancelledByMessageId;
    final String finishedPerMinute;
    final String runNowById;
    final String deleteArchivedById;
    final String deleteDeadById;
    private final Map<TaskState, String> listByState = new EnumMap<>(TaskState.class);
    private final String listAll;

    /**
     * @param queueHasLastReadAt   {@code q_<name>} has PGMQ 1.10's {@code last_read_at}
     * @param archiveHasLastReadAt {@code a_<name>} has it too (then archiving copies it)
     * @param defaultMaxAttempts   the attempt limit of a message without {@code drover-max-attempts}
     */
    QueueSql(QueueTables tables, boolean queueHasLastReadAt, boolean archiveHasLastReadAt, int defaultMaxAttempts) {
        String q = tables.q();
        String a = tables.a();
        String dlq = tables.dlq();
        String maxAttempts = "coalesce(" + wholeNumber("drover-max-attempts", "int", "1", Integer.toString(Integer.MAX_VALUE)) + ", "
                + defaultMaxAttempts + ")";
        String exhausted = "(x.read_ct > " + SETTLED + " AND x.read_ct - " + RELEASED + " >= " + maxAttempts + ")";
        boolean copyLastRead = queueHasLastReadAt && archiveHasLastReadAt;
        String archiveColumns = "msg_id, read_ct, enqueued_at, " + (copyLastRead ? "last_read_at, " : "") + "vt, message, headers";
        String archiveValues = "x.msg_id, x.read_ct, x.enqueued_at, " + (copyLastRead ? "x.last_read_at, " : "") + "x.vt, x.message";
        String enqueuedMs = "coalesce(" + wholeNumber("drover-enqueued-at", "bigint", Long.toString(Envelope.MIN_EPOCH_MILLIS),
                Long.toString(Envelope.MAX_EPOCH_MILLIS)) + ", " + ms("x.enqueued_at") + ")";

        push = """
                INSERT INTO %s (vt, message, headers)
                SELECT timestamptz 'epoch' + t.run_at * interval '1 millisecond',
                       CASE WHEN t.b64 THEN to_jsonb(t.body) ELSE t.body::jsonb END,
                       t.headers::jsonb
                  FROM unnest(?::bigint[], ?::text[], ?::boolean[], ?::text[]) WITH ORDINALITY AS t(run_at, body, b64, headers, ord)
                 ORDER BY t.ord""".formatted(q);

        // A completion's follow-up: sent unless its id (or the cancellation marker) exists in any of the three tables, and
        // only when every awaited task is archived as done. The caller holds an advisory lock on the follow-up's id, so
        // of concurrent completions awaiting each other, the last one (which sees the others committed) sends it.
        followUp = """
                INSERT INTO %1$s (vt, message, headers)
                SELECT timestamptz 'epoch' + t.run_at * interval '1 millisecond',
                       CASE WHEN t.b64 THEN to_jsonb(t.body) ELSE t.body::jsonb END,
                       t.headers::jsonb
                  FROM unnest(?::bigint[], ?::text[], ?::boolean[], ?::text[]) AS t(run_at, body, b64, headers)
                 WHERE NOT EXISTS (SELECT 1 FROM %1$s x WHERE x.headers->>'drover-id' = ANY(?::text[]))
                   AND NOT EXISTS (SELECT 1 FROM %2$s x WHERE x.headers->>'drover-id' = ANY(?::text[]))
                   AND NOT EXISTS (SELECT 1 FROM %3$s x WHERE x.headers->>'drover-id' = ANY(?::text[]))
                   AND (SELECT count(*) FROM %2$s x WHERE x.headers->>'drover-id' = ANY(?::text[])
                           AND coalesce(x.headers->>'drover-outcome', 'done') = 'done') = ?
                ON CONFLICT ((headers->>'drover-id')) DO NOTHING""".formatted(q, a, dlq);

        // One statement: lock up to ? due messages (due time, then send order, read off the (vt, msg_id) index) and lease
        // them (read_ct + 1, vt = lease expiry). A message whose lease ran out on its last attempt is not leased: it is
        // returned as exhausted (true in the first column, its msg_id only) for the caller to bury with {@link #bury}
        // (burying in this statement made every claim plan and start a DELETE and an INSERT that almost never have a row).
        //
        // The plan is made once per connection, not on every claim. A LIMIT that is a parameter is planned as 10% of the
        // due messages, so PostgreSQL would find the generic plan too costly and plan every call anew (a third of the
        // claim's server time for a small batch). So the locking scan has a literal bound, {bucket} (the batch size rounded
        // up to a power of two: a handful of statements), and the parameter limits the rows taken from it: rows are
        // locked as they are taken, so no more than ? are locked, and the generic plan is as cheap as a custom one.
        // The queue's control row (none for a queue never paused or limited: one index probe of a tiny table, in the same
        // statement, so an unlimited queue pays no round trip). A paused queue takes nothing. A limited one takes nothing
        // here either unless the caller holds the control row's lock (?2, see PgmqBackend.claimLimited) and returns one
        // marker row (exhausted IS NULL) that sends the caller to the locked path.
        claimTemplate = expand("""
                WITH %1$s,
                ctl AS (
                    SELECT c.paused, (c.max_running IS NOT NULL OR c.max_starts IS NOT NULL) AS limited
                      FROM drover.queue_control c WHERE c.queue = ?::text
                ),
                cand AS (
                    SELECT s.msg_id, s.exhausted FROM (
                        SELECT x.msg_id, %3$s AS exhausted
                          FROM %2$s x WHERE x.vt <= now() ORDER BY x.vt, x.msg_id LIMIT {bucket} FOR UPDATE SKIP LOCKED
                    ) s LIMIT CASE WHEN EXISTS (SELECT 1 FROM ctl WHERE ctl.paused OR (ctl.limited AND NOT ?::boolean)) THEN 0 ELSE ?::int END
                ),
                claimed AS (
                    UPDATE %2$s x
                       SET read_ct = x.read_ct + 1,
                           vt = clock.t + ? * interval '1 millisecond',%4$s
                           headers = {headers}
                               || jsonb_build_object('drover-id', %5$s, 'drover-owner', ?::text, 'drover-started-at', %6$s)
                      FROM cand, clock
                     WHERE NOT cand.exhausted AND x.msg_id = cand.msg_id
                 RETURNING %7$s
                )
                SELECT false AS exhausted, c.* FROM claimed c
                UNION ALL
                SELECT true, 'q', cand.msg_id, 0, 0::bigint, 0::bigint, NULL::bigint, NULL::text, NULL::text FROM cand WHERE cand.exhausted
                UNION ALL
                SELECT NULL::boolean, 'q', 0::bigint, 0, 0::bigint, 0::bigint, NULL::bigint, NULL::text, NULL::text
                  FROM ctl WHERE ctl.limited AND NOT ctl.paused AND NOT ?::boolean"""
                .formatted(CLOCK, q, exhausted,
                        queueHasLastReadAt ? "\n                           last_read_at = clock.t," : "",
                        ID, NOW_MS, projection("q", "x", "NULL::bigint")));

        // Tasks of this queue RUNNING with a lease that has not run out: read (read_ct above the settled count) and not due
        // again. now() is the transaction's start, before the control row's lock was waited for: a lease that ran out while
        // waiting still counts, which errs on the safe side of a concurrency limit.
        running = "SELECT count(*) FROM %s x WHERE x.vt > now() AND x.read_ct > %s".formatted(q, SETTLED);

        // Moves to the dead-letter queue the messages of ? (msg_ids a claim found exhausted) that are still due and
        // exhausted: their lease ran out on their last attempt. Rows another transaction holds are skipped (it is a
        // claim, which finds them exhausted too, or a settlement or heartbeat of their late holder, which wins).
        bury = expand("""
                WITH %1$s,
                dead AS (
                    DELETE FROM %2$s x
                     USING (SELECT msg_id FROM %2$s WHERE msg_id = ANY(?::bigint[]) AND vt <= now() FOR UPDATE SKIP LOCKED) d
                     WHERE x.msg_id = d.msg_id AND %3$s
                    RETURNING x.msg_id, x.read_ct, x.enqueued_at, x.message, x.headers
                ),
                buried AS (
                    INSERT INTO %4$s (vt, message, headers)
                    SELECT clock.t, x.message, %5$s FROM dead x, clock
                    RETURNING msg_id
                )
                SELECT count(*) FROM buried""".formatted(CLOCK, q, exhausted, dlq,
                        burial("'lease expired on attempt ' || (x.read_ct - " + RELEASED + ") || ' of ' || " + maxAttempts
                                + " || ': its worker stopped before finishing (it crashed, was killed, or lost the database)'", enqueuedMs)));

        heartbeat = expand("""
                WITH %s
                UPDATE %s x SET vt = clock.t + ? * interval '1 millisecond'
                  FROM unnest(%s) AS t(id, ct), clock
                 WHERE %s
                RETURNING x.msg_id, x.read_ct""".formatted(CLOCK, q, arrays("bigint", "int"), HELD));

        complete = expand("""
                WITH %1$s,
                done AS (
                    DELETE FROM %2$s x USING unnest(%9$s) AS t(id, ct, result)
                     WHERE %3$s
                    RETURNING x.*, t.result AS drover_result
                ),
                archived AS (
                    INSERT INTO %4$s (%5$s)
                    SELECT %6$s, {headers}
                               || CASE WHEN x.drover_result IS NULL
                                       THEN jsonb_build_object('drover-id', %7$s, 'drover-outcome', 'done', 'drover-finished-at', %8$s)
                                       ELSE jsonb_build_object('drover-id', %7$s, 'drover-outcome', 'done', 'drover-finished-at', %8$s,
                                                               'drover-result', x.drover_result) END
                      FROM done x, clock
                )
                SELECT msg_id, read_ct FROM done""".formatted(CLOCK, q, HELD, a, archiveColumns, archiveValues, ID, NOW_MS,
                        arrays("bigint", "int", "text")));

        retry = expand("""
                WITH %s
                UPDATE %s x
                   SET vt = clock.t + t.delay * interval '1 millisecond',
                       headers = {headers} || jsonb_build_object('drover-settled', x.read_ct,
                           'drover-error', t.error, 'drover-run-at', %s + t.delay, 'drover-attempts', %s)
                  FROM unnest(%s) AS t(id, ct, delay, error), clock
                 WHERE %s
                RETURNING x.msg_id, x.read_ct""".formatted(CLOCK, q, NOW_MS, attemptsWith("t.error"),
                        arrays("bigint", "int", "bigint", "text"), HELD));

        release = expand("""
                WITH %s
                UPDATE %s x
                   SET vt = clock.t,
                       headers = {headers} || jsonb_build_object('drover-settled', x.read_ct,
                           'drover-released', %s + 1, 'drover-run-at', %s)
                  FROM unnest(%s) AS t(id, ct), clock
                 WHERE %s
                RETURNING x.msg_id, x.read_ct""".formatted(CLOCK, q, RELEASED, NOW_MS, arrays("bigint", "int"), HELD));

        kill = expand("""
                WITH %1$s,
                killed AS (
                    DELETE FROM %2$s x USING unnest(%6$s) AS t(id, ct, error)
                     WHERE %3$s
                    RETURNING x.msg_id, x.read_ct, x.enqueued_at, x.message, x.headers, t.error AS drover_error
                ),
                buried AS (
                    INSERT INTO %4$s (vt, message, headers)
                    SELECT clock.t, x.message, %5$s FROM killed x, clock
                )
                SELECT msg_id, read_ct FROM killed""".formatted(CLOCK, q, HELD, dlq, burial("x.drover_error", enqueuedMs),
                        arrays("bigint", "int", "text")));

        counts = """
                SELECT CASE WHEN x.read_ct > %1$s THEN 'RUNNING' ELSE 'PENDING' END, count(*) FROM %2$s x GROUP BY 1
                UNION ALL
                SELECT CASE WHEN x.headers->>'drover-outcome' = 'cancelled' THEN 'CANCELLED' ELSE 'DONE' END, count(*) FROM %3$s x GROUP BY 1
                UNION ALL
                SELECT 'DEAD', count(*) FROM %4$s x""".formatted(SETTLED, q, a, dlq);

        // The due time of the earliest-due pending message that is due now: the claim's own walk of the (vt, msg_id) index,
        // stopping at the first message that is not running (a running one with vt <= now has an expired lease: few). now()
        // and not clock_timestamp(): a volatile bound is a filter, and a queue with nothing due would be walked to its end.
        oldestDue = """
                SELECT %1$s FROM %2$s x
                 WHERE x.vt <= now() AND x.read_ct <= %3$s
                 ORDER BY x.vt, x.msg_id LIMIT 1""".formatted(ms("x.vt"), q, SETTLED);

        // Retention, on PostgreSQL's clock: at most ? archived (DONE, CANCELLED) or dead-lettered (DEAD) messages older than
        // their state's age (milliseconds, null: kept forever) go, locked with SKIP LOCKED so a sweep never waits on a
        // requeue or another sweep. archived_at is when the task finished (archive); a dead letter's enqueued_at is when
        // it was buried. A task of a workflow run (metadata "run") stays while a message of that run is still live in q_<name>.
        String runOf = "(%s.headers->'" + Envelope.METADATA + "'->>'run')";
        String runFinished = "(" + runOf.formatted("x") + " IS NULL OR NOT EXISTS (SELECT 1 FROM " + q + " y WHERE "
                + runOf.formatted("y") + " = " + runOf.formatted("x") + "))";
        deleteArchived = """
                WITH %1$s,
                doomed AS (
                    SELECT x.msg_id FROM %2$s x, clock
                     WHERE ((x.headers->>'drover-outcome' = 'cancelled' AND x.archived_at <= clock_timestamp() - ?::bigint * interval '1 millisecond')
                         OR (x.headers->>'drover-outcome' IS DISTINCT FROM 'cancelled' AND x.archived_at <= clock_timestamp() - ?::bigint * interval '1 millisecond'))
                       AND %3$s
                     LIMIT ? FOR UPDATE OF x SKIP LOCKED)
                DELETE FROM %2$s a USING doomed WHERE a.msg_id = doomed.msg_id""".formatted(CLOCK, a, runFinished);
        deleteDead = """
                WITH %1$s,
                doomed AS (
                    SELECT x.msg_id FROM %2$s x, clock
                     WHERE x.enqueued_at <= clock_timestamp() - ?::bigint * interval '1 millisecond' AND %3$s
                     LIMIT ? FOR UPDATE OF x SKIP LOCKED)
                DELETE FROM %2$s d USING doomed WHERE d.msg_id = doomed.msg_id""".formatted(CLOCK, dlq, runFinished);

        String fromQueue = "SELECT " + projection("q", "x", "NULL::bigint") + " FROM " + q + " x";
        String fromArchive = "SELECT " + projection("a", "x", ms("x.archived_at")) + " FROM " + a + " x";
        String fromDead = "SELECT " + projection("d", "x", "NULL::bigint") + " FROM " + dlq + " x";
        String byId = " WHERE x.headers->>'drover-id' = ?";
        // pgmq-<msg_id>: a message another client sent. Once Drover moved it (claim, requeue), its id is in the header.
        String byMessageId = " WHERE (x.headers->>'drover-id' = ? OR (x.msg_id = ? AND " + DROVER_ID + " IS NULL))";
        getById = fromQueue + byId + "\nUNION ALL " + fromArchive + byId + "\nUNION ALL " + fromDead + byId;
        getByMessageId = fromQueue + byMessageId + "\nUNION ALL " + fromArchive + byMessageId + "\nUNION ALL " + fromDead + byId;

        String pending = "x.read_ct <= " + SETTLED;

        // Throughput: DONE tasks by the minute they were archived (archived_at is indexed by PGMQ), DEAD ones by the minute
        // they were moved to the dead-letter queue (its vt, set to that moment and indexed). Epoch milliseconds of the minute.
        finishedPerMinute = """
                SELECT m, sum(done)::bigint, sum(dead)::bigint FROM (
                    SELECT (extract(epoch from date_trunc('minute', x.archived_at)) * 1000)::bigint AS m, count(*) AS done, 0 AS dead
                      FROM %1$s x
                     WHERE x.archived_at >= to_timestamp(?::bigint / 1000.0) AND x.headers->>'drover-outcome' IS DISTINCT FROM 'cancelled'
                     GROUP BY 1
                    UNION ALL
                    SELECT (extract(epoch from date_trunc('minute', x.vt)) * 1000)::bigint, 0, count(*)
                      FROM %2$s x
                     WHERE x.vt >= to_timestamp(?::bigint / 1000.0)
                     GROUP BY 1) t
                 GROUP BY m ORDER BY m""".formatted(a, dlq);
        // A pending (not running) task due now; a running one is left alone.
        runNowById = expand("""
                WITH %1$s
                UPDATE %2$s x SET vt = clock.t, headers = {headers} || jsonb_build_object('drover-run-at', %3$s)
                  FROM clock
                 WHERE x.headers->>'drover-id' = ? AND x.read_ct <= %4$s
                RETURNING x.msg_id""".formatted(CLOCK, q, NOW_MS, SETTLED));
        deleteArchivedById = "DELETE FROM " + a + " x WHERE x.headers->>'drover-id' = ? RETURNING x.msg_id";
        deleteDeadById = "DELETE FROM " + dlq + " x WHERE x.headers->>'drover-id' = ? RETURNING x.msg_id";
        String cancelled = "x.headers->>'drover-outcome' = 'cancelled'";
        listAll = list(fromQueue, "true", fromArchive, "true", fromDead, "true");
        listByState.put(TaskState.PENDING, list(fromQueue, pending, fromArchive, "false", fromDead, "false"));
        listByState.put(TaskState.RUNNING, list(fromQueue, "NOT (" + pending + ")", fromArchive, "false", fromDead, "false"));
        listByState.put(TaskState.DONE, list(fromQueue, "false", fromArchive, "NOT coalesce(" + cancelled + ", false)", fromDead, "false"));
        listByState.put(TaskState.CANCELLED, list(fromQueue, "false", fromArchive, cancelled, fromDead, "false"));
        listByState.put(TaskState.DEAD, list(fromQueue, "false", fromArchive, "false", fromDead, "true"));

        // Cancels a pending or a running task: the message leaves q_<name> for the archive, so a running task's token
        // (msg_id:read_ct) holds nothing any more: its heartbeat extends nothing and its settlements find no row. Of a cancel
        // and a completion racing, both delete the same row and PostgreSQL's row lock orders them: the later finds it gone.
        // Returns one row, whether the task was running (read_ct above drover-settled), when it cancelled one.
        String cancel = expand("""
                WITH %1$s,
                c AS (DELETE FROM %2$s x WHERE %%s RETURNING x.*, x.read_ct > %3$s AS drover_was_running),
                archived AS (
                    INSERT INTO %4$s (%5$s)
                    SELECT %6$s, {headers}
                               || jsonb_build_object('drover-id', %7$s, 'drover-outcome', 'cancelled', 'drover-finished-at', %8$s)
                      FROM c x, clock
                )
                SELECT drover_was_running FROM c""".formatted(CLOCK, q, SETTLED, a, archiveColumns, archiveValues, ID, NOW_MS));
        cancelById = cancel.formatted("x.headers->>'drover-id' = ?");
        cancelByMessageId = cancel.formatted("(x.headers->>'drover-id' = ? OR (x.msg_id = ? AND " + DROVER_ID + " IS NULL))");

        // Which of the task ids ? are archived as cancelled: a worker telling a cancellation from a lost lease.
        cancelledAmong = "SELECT x.headers->>'drover-id' FROM " + a + " x WHERE x.headers->>'drover-id' = ANY(?::text[]) AND " + cancelled;

        String requeue = """
                WITH %1$s,
                r AS (DELETE FROM %2$s x WHERE %%s RETURNING x.message, x.headers, %3$s AS enqueued_ms)
                INSERT INTO %4$s (vt, message, headers)
                SELECT clock.t, x.message, ({headers} - %5$s)
                           || jsonb_build_object('drover-run-at', %6$s, 'drover-enqueued-at', x.enqueued_ms)
                  FROM r x, clock
                RETURNING msg_id""".replace("{headers}", HEADERS);
        requeueDeadById = requeue.formatted(CLOCK, dlq, enqueuedMs, q, RESET_KEYS, NOW_MS)
                .formatted("x.headers->>'drover-id' = ?");
        String requeueCancelled = requeue.formatted(CLOCK, a, enqueuedMs, q, RESET_KEYS, NOW_MS);
        requeueCancelledById = requeueCancelled.formatted("x.headers->>'drover-id' = ? AND " + cancelled);
        requeueCancelledByMessageId = requeueCancelled.formatted("(x.headers->>'drover-id' = ? OR (x.msg_id = ? AND " + DROVER_ID + " IS NULL)) AND " + cancelled);
    }

    /** The claim of up to {@code max} messages (a statement per power of two; see {@code claimTemplate}). */
    String claim(int max) {
        int bucket = max <= 1 ? 1 : Integer.highestOneBit(Math.min(max, 1 << 30) - 1) << 1;
        int slot = Integer.numberOfTrailingZeros(bucket);
        String sql = claimByBucket[slot];
        if (sql == null) {
            sql = claimTemplate.replace("{bucket}", Integer.toString(bucket));
            claimByBucket[slot] = sql; // a String is safely published even through a race; racing threads build the same text
        }
        return sql;
    }

    /** Lists tasks of any state ({@code null}) or one state, in id order, after an id (or from the start), limited. */
    String list(TaskState state) {
        return state == null ? listAll : listByState.get(state);
    }

    /** {@link #list} backwards: the tasks with ids just before an id, newest first (the caller puts them in id order). */
    String listBefore(TaskState state) {
        return list(state).replace("u.task_id COLLATE \"C\" > ?::text) ORDER BY u.task_id COLLATE \"C\" LIMIT ?",
                "u.task_id COLLATE \"C\" < ?::text) ORDER BY u.task_id COLLATE \"C\" DESC LIMIT ?");
    }

    private static String list(String fromQueue, String queueFilter, String fromArchive, String archiveFilter,
                               String fromDead, String deadFilter) {
        return "SELECT * FROM (\n"
                + fromQueue.replace("SELECT ", "SELECT " + ID + " AS task_id, ") + " WHERE " + queueFilter
                + "\nUNION ALL " + fromArchive.replace("SELECT ", "SELECT " + ID + " AS task_id, ") + " WHERE " + archiveFilter
                + "\nUNION ALL " + fromDead.replace("SELECT ", "SELECT " + ID + " AS task_id, ") + " WHERE " + deadFilter
                + "\n) u WHERE (?::text IS NULL OR u.task_id COLLATE \"C\" > ?::text) ORDER BY u.task_id COLLATE \"C\" LIMIT ?";
    }

    /**
     * The columns every read returns, in this order: source ({@code q} live, {@code a} archive, {@code d} dead letter),
     * msg_id, read_ct, enqueued_at and vt in epoch milliseconds, archived_at (or null), the payload text, the headers.
     */
    private static String projection(String source, String x, String archivedMs) {
        return "'" + source + "' AS src, " + x + ".msg_id, " + x + ".read_ct, " + ms(x + ".enqueued_at") + " AS enqueued_ms, "
                + ms(x + ".vt") + " AS vt_ms, " + archivedMs + " AS archived_ms, " + BODY.replace("x.", x + ".") + " AS body, "
                + x + ".headers::text AS headers";
    }

    /** The headers of a message moved to the dead-letter queue: where it came from, its attempt, the error, when. */
    private static String burial(String errorExpression, String enqueuedMs) {
        return "{headers} || jsonb_build_object('drover-id', " + ID + ", 'drover-outcome', 'dead', "
                + "'drover-queue', ?::text, 'drover-attempt', x.read_ct - " + RELEASED + ", 'drover-error', " + errorExpression
                + ", 'drover-finished-at', " + NOW_MS + ", 'drover-enqueued-at', " + enqueuedMs
                + ", 'drover-attempts', " + attemptsWith(errorExpression) + ")";
    }

    /**
     * The message's attempt history ({@value Envelope#ATTEMPTS}, a JSON array, oldest first) with the attempt that just
     * failed appended: its number, the time on PostgreSQL's clock, the worker that held its lease (the claim's
     * {@code drover-owner}) and {@code errorExpression}; the oldest entry is dropped once {@value AttemptError#KEPT} are
     * kept. It is part of the UPDATE or DELETE that settles the attempt, so it is fenced by the same lease and never
     * written twice. A header of another type (another client's) is replaced, not failed on.
     */
    private static String attemptsWith(String errorExpression) {
        String history = "(CASE WHEN jsonb_typeof(x.headers->'" + Envelope.ATTEMPTS + "') = 'array' THEN x.headers->'"
                + Envelope.ATTEMPTS + "' ELSE '[]'::jsonb END)";
        String entry = "jsonb_build_array(jsonb_build_object('attempt', x.read_ct - " + RELEASED + ", 'at', " + NOW_MS
                + ", 'worker', x.headers->>'drover-owner', 'error', " + errorExpression + "))";
        return "(CASE WHEN jsonb_array_length(" + history + ") >= " + AttemptError.KEPT + " THEN (" + history + " - 0) || " + entry
                + " ELSE " + history + " || " + entry + " END)";
    }

    /**
     * The arrays a guarded statement takes, each as a scalar subquery: {@code unnest((SELECT ?::bigint[]), ...)}. Then the
     * planner cannot see how many elements they hold, so a custom plan costs what the generic plan costs, and PostgreSQL
     * settles on the generic plan after five calls instead of planning every small batch anew (a custom plan of a
     * handful of tasks looks cheaper than the generic plan's guess of ten rows, so it would never stop). The plan is
     * the same either way: a nested loop over the primary key.
     */
    private static String arrays(String... types) {
        StringBuilder sql = new StringBuilder();
        for (String type : types) {
            if (!sql.isEmpty()) sql.append(", ");
            sql.append("(SELECT ?::").append(type).append("[])");
        }
        return sql.toString();
    }

    /**
     * The header {@code key} of message {@code x} as a SQL {@code type} when it is a JSON number holding a whole number
     * from {@code min} to {@code max} (SQL expressions), else NULL. Headers are input: other PGMQ clients write them,
     * so a value of another type or out of range reads as absent instead of failing the statement, and with it every
     * claim and count of the queue. The CASEs are nested because PostgreSQL does not promise to evaluate the
     * conditions of an AND in order; {@link Envelope} reads headers by the same rule.
     */
    static String wholeNumber(String key, String type, String min, String max) {
        String v = "(x.headers->'" + key + "')";
        return "(CASE WHEN jsonb_typeof(" + v + ") = 'number' THEN CASE WHEN " + v + "::numeric = trunc(" + v + "::numeric) AND "
                + v + "::numeric BETWEEN " + min + " AND " + max + " THEN " + v + "::numeric::" + type + " END END)";
    }

    private static String expand(String sql) {
        return sql.replace("{headers}", HEADERS);
    }

    static String ms(String timestamp) {
        return "(extract(epoch from " + timestamp + ") * 1000)::bigint";
    }
}
