package dev.drover.sqlite.store;

import java.util.ArrayList;
import java.util.List;

import dev.drover.sqlite.sql.SqlStatement;

/**
 * Every statement Drover runs on {@code drover_tasks}, in the SQLite dialect (also spoken by libSQL and Turso).
 * Times are epoch milliseconds from the backend's clock, passed in as arguments, never SQLite's own clock, so a
 * test clock controls them. Every transition of a claimed task is fenced: it applies only
 * {@code WHERE id = ? AND lease_token = ? AND state = 'RUNNING'}, so a worker whose lease was lost changes nothing.
 * No statement concatenates input: all values are bound arguments.
 */
public final class SqliteTaskSql {

    /** The columns of a {@link dev.drover.api.TaskRecord}; the lease token stays out of inspection. */
    public static final String TASK_COLUMNS = """
            id, queue, state, priority, run_at, attempt, max_attempts, payload, codec, metadata, last_error, result, \
            lease_owner, lease_expires_at, enqueued_at, started_at, finished_at, attempt_errors""";

    /**
     * What a claim returns of each task it leases: the columns of a {@link dev.drover.api.TaskRecord} the claim did not
     * set itself, and the new lease token. A claimable task (PENDING, or RUNNING with an expired lease) has never been
     * DONE, so it has no result, and nothing finished it: complete and kill end in states no claim takes, and requeue
     * clears finished_at.
     */
    public static final String CLAIMED_COLUMNS = """
            id, priority, run_at, attempt, max_attempts, payload, codec, metadata, last_error, enqueued_at, lease_token""";

    public static final String PUSH = """
            INSERT INTO drover_tasks (id, queue, state, priority, run_at, attempt, max_attempts, payload, codec, metadata, enqueued_at)
            VALUES (?1, ?2, 'PENDING', ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9)""";

    /**
     * Removes the holder of unique key {@code ?2} of queue {@code ?1} if it no longer holds it in scope at {@code ?3}: its task
     * is gone (deleted), or it left its scope (ACTIVE: no longer PENDING or RUNNING; UNTIL_DONE: DONE or CANCELLED; PERIOD:
     * the period ended). The first of the four statements of a push with a unique key, all in the push's write transaction.
     */
    public static final String FREE_UNIQUE_KEY = """
            DELETE FROM drover_unique_keys
             WHERE queue = ?1 AND key = ?2
               AND NOT EXISTS (
                     SELECT 1 FROM drover_tasks t
                      WHERE t.id = drover_unique_keys.task_id AND t.queue = drover_unique_keys.queue
                        AND CASE drover_unique_keys.scope
                                WHEN 'ACTIVE' THEN t.state IN ('PENDING', 'RUNNING')
                                WHEN 'UNTIL_DONE' THEN t.state IN ('PENDING', 'RUNNING', 'DEAD')
                                ELSE drover_unique_keys.expires_at > ?3
                            END)""";

    /** Takes unique key {@code ?2} of queue {@code ?1} for task {@code ?3} if no one holds it (after {@link #FREE_UNIQUE_KEY}). */
    public static final String TAKE_UNIQUE_KEY = """
            INSERT OR IGNORE INTO drover_unique_keys (queue, key, task_id, scope, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)""";

    /** {@link #PUSH}, only if task {@code ?1} holds unique key {@code ?10} (it took it in {@link #TAKE_UNIQUE_KEY}). */
    public static final String PUSH_IF_HOLDER = """
            INSERT INTO drover_tasks (id, queue, state, priority, run_at, attempt, max_attempts, payload, codec, metadata, enqueued_at)
            SELECT ?1, ?2, 'PENDING', ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9
             WHERE EXISTS (SELECT 1 FROM drover_unique_keys WHERE queue = ?2 AND key = ?10 AND task_id = ?1)""";

    /** The task holding unique key {@code ?2} of queue {@code ?1}: the last of a unique push's statements. */
    public static final String UNIQUE_HOLDER = """
            SELECT task_id FROM drover_unique_keys WHERE queue = ?1 AND key = ?2""";

    /**
     * The task's attempt history with one more failed attempt appended (its number, {@code at}, the lease owner, the
     * {@code error}), keeping the last {@value dev.drover.api.AttemptError#KEPT}: the expression a RETRY, a KILL or an
     * expired last lease sets {@code attempt_errors} to, in the same UPDATE. {@code json_set} at the array's length appends
     * (the Turso server panics on {@code json_insert} with {@code $[#]}); a full history first drops its oldest entry.
     * The UPDATE reads the row as it was, so {@code attempt} and {@code lease_owner} are the failed attempt's.
     */
    static String appendAttemptError(String at, String error) {
        String entry = "json_object('attempt', attempt, 'at', " + at + ", 'worker', lease_owner, 'error', " + error + ")";
        return "CASE WHEN json_array_length(coalesce(attempt_errors, '[]')) >= " + dev.drover.api.AttemptError.KEPT
                + " THEN json_set(json_remove(attempt_errors, '$[0]'), '$[" + (dev.drover.api.AttemptError.KEPT - 1) + "]', " + entry + ")"
                + " ELSE json_set(coalesce(attempt_errors, '[]'), '$[' || json_array_length(coalesce(attempt_errors, '[]')) || ']', "
                + entry + ") END";
    }

    private static final String EXPIRED_LAST_LEASE = """
            'lease of worker ' || coalesce(lease_owner, '(unknown)') || ' expired on the last attempt (' || attempt || ' of ' \
            || max_attempts || '); the worker probably died'""";

    /** Before a claim: RUNNING tasks whose lease expired on their last attempt go DEAD instead of running again. */
    public static final String EXPIRE_EXHAUSTED_LEASES = """
            UPDATE drover_tasks
               SET state            = 'DEAD',
                   last_error       = {expired},
                   attempt_errors   = {history},
                   finished_at      = ?1,
                   lease_token      = NULL,
                   lease_expires_at = NULL
             WHERE queue = ?2 AND state = 'RUNNING' AND lease_expires_at <= ?1 AND attempt >= max_attempts"""
            .replace("{expired}", EXPIRED_LAST_LEASE).replace("{history}", appendAttemptError("?1", EXPIRED_LAST_LEASE));

    /**
     * Leases the best {@code ?5} due tasks of queue {@code ?4}: PENDING ones whose run_at has come, and RUNNING ones
     * whose lease expired (their worker died). Each branch is ordered and limited on its own partial index
     * (drover_tasks_due, drover_tasks_leases); the union of the two small lists is ordered again. The rows are found by
     * rowid (the indexes carry it, so no second lookup through the id index), and only what the claim does not already
     * know comes back: queue, state, owner, lease expiry and start are the claim's own; result and finished_at are
     * NULL on every task a claim can take (see {@link #CLAIMED_COLUMNS}).
     */
    public static final String CLAIM = """
            UPDATE drover_tasks
               SET state            = 'RUNNING',
                   attempt          = attempt + 1,
                   lease_owner      = ?1,
                   lease_token      = lower(hex(randomblob(16))),
                   lease_expires_at = ?2,
                   started_at       = ?3
             WHERE rowid IN (
                     SELECT rid FROM (
                         SELECT rid, priority, run_at, id FROM (
                             SELECT rowid AS rid, priority, run_at, id FROM drover_tasks
                              WHERE queue = ?4 AND state = 'PENDING' AND run_at <= ?3
                              ORDER BY priority DESC, run_at, id
                              LIMIT ?5)
                         UNION ALL
                         SELECT rid, priority, run_at, id FROM (
                             SELECT rowid AS rid, priority, run_at, id FROM drover_tasks
                              WHERE queue = ?4 AND state = 'RUNNING' AND lease_expires_at <= ?3 AND attempt < max_attempts
                              ORDER BY priority DESC, run_at, id
                              LIMIT ?5))
                      ORDER BY priority DESC, run_at, id
                      LIMIT %s)
            RETURNING %s""".formatted(SqliteTaskSql.allowed("?4", "?3", "?5"), CLAIMED_COLUMNS);

    /**
     * How many tasks a claim of {@code queue} at {@code now} may start, at most {@code max}: 0 while the queue is paused;
     * else at most its concurrency limit less the RUNNING tasks with an unexpired lease, and at most its rate less the
     * starts recorded after now − interval; never negative (a negative LIMIT is no limit in SQLite). A queue without a
     * control row, or without limits, gets {@code max} without counting anything (CASE evaluates only the branch it takes).
     * It runs inside the claim's write transaction, so no other claim of any process runs between the count and the claim.
     */
    static String allowed(String queue, String now, String max) {
        // The rate window is measured on the time the statement runs, not on {@code now}: {@code now} is read before the
        // write lock is granted, so a claim that waited for the lock would measure its window from the past and miss the
        // starts of claims that ran while it waited. The window is closed (>=): both times are whole milliseconds cut
        // from finer real times, so two claims less than the interval apart can read exactly the interval apart, and the
        // first claim after a window ends is where a rate limit puts claims (CI saw 6 starts in 700 ms under a rate of 3).
        return """
                coalesce((SELECT CASE WHEN c.paused <> 0 THEN 0
                                      WHEN c.max_running IS NULL AND c.max_starts IS NULL THEN %3$s
                                      ELSE max(0, min(%3$s,
                                          CASE WHEN c.max_running IS NULL THEN %3$s ELSE c.max_running - (
                                              SELECT count(*) FROM drover_tasks r
                                               WHERE r.queue = %1$s AND r.state = 'RUNNING' AND r.lease_expires_at > %2$s) END,
                                          CASE WHEN c.max_starts IS NULL THEN %3$s ELSE c.max_starts - (
                                              SELECT coalesce(sum(s.starts), 0) FROM drover_queue_starts s
                                               WHERE s.queue = %1$s AND s.started_at >= %4$s - c.rate_interval_ms) END)) END
                            FROM drover_queue_control c WHERE c.queue = %1$s), %3$s)""".formatted(queue, now, max, STORAGE_NOW_MS);
    }

    /**
     * The time, in epoch milliseconds, at which the statement runs, on the database's clock (the server's for a remote
     * libSQL): the rate window's clock. SQLite reads it once per statement, and the statements of the claims of every
     * process run one after another under the write lock, so it grows in the order the claims really ran. SQLite keeps
     * 'now' in whole milliseconds; julianday is that as a double (about 40 µs apart at today's dates), so the product is
     * rounded, not cut: a cut could land a millisecond early.
     */
    static final String STORAGE_NOW_MS = "CAST(round((julianday('now') - 2440587.5) * 86400000) AS INTEGER)";

    /**
     * Right after the claim, in its transaction: records how many tasks it started ({@code changes()}, the rows of the
     * claim's UPDATE) when the queue has a rate limit, for {@link #allowed}'s window.
     */
    static final String RECORD_STARTS = """
            INSERT INTO drover_queue_starts (queue, started_at, starts)
            SELECT ?1, %s, changes()
             WHERE changes() > 0 AND EXISTS (SELECT 1 FROM drover_queue_control WHERE queue = ?1 AND max_starts IS NOT NULL)"""
            .formatted(SqliteTaskSql.STORAGE_NOW_MS);

    /** Forgets starts older than the queue's rate window (all of them when the queue has no rate limit any more). */
    static final String PRUNE_STARTS = """
            DELETE FROM drover_queue_starts
             WHERE queue = ?1
               AND started_at < %s - coalesce((SELECT rate_interval_ms FROM drover_queue_control
                                                 WHERE queue = ?1 AND max_starts IS NOT NULL), 0)""".formatted(SqliteTaskSql.STORAGE_NOW_MS);

    static final String PAUSE = """
            INSERT INTO drover_queue_control (queue, paused, updated_at) VALUES (?1, ?2, ?3)
            ON CONFLICT (queue) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at""";

    static final String LIMIT = """
            INSERT INTO drover_queue_control (queue, paused, max_running, max_starts, rate_interval_ms, updated_at)
            VALUES (?1, 0, ?2, ?3, ?4, ?5)
            ON CONFLICT (queue) DO UPDATE SET max_running = excluded.max_running, max_starts = excluded.max_starts,
                                              rate_interval_ms = excluded.rate_interval_ms, updated_at = excluded.updated_at""";

    static final String CONTROL = """
            SELECT paused, max_running, max_starts, rate_interval_ms FROM drover_queue_control WHERE queue = ?1""";

    public static final String HEARTBEAT = """
            UPDATE drover_tasks
               SET lease_expires_at = ?1
             WHERE id = ?2 AND lease_token = ?3 AND state = 'RUNNING'""";

    /**
     * Leaves a token of this completion ({@code ?5}, new for every completion) on the DONE row, so its follow-ups,
     * later in the same transaction, can tell the completion applied.
     */
    public static final String COMPLETE = """
            UPDATE drover_tasks
               SET state = 'DONE', result = ?1, finished_at = ?2, lease_expires_at = NULL, lease_token = ?5
             WHERE id = ?3 AND lease_token = ?4 AND state = 'RUNNING'""";

    /**
     * A follow-up of a completion, in the same transaction: stored only if the completion just applied (the task is DONE
     * with that completion's token), when every awaited task is DONE, and when the {@code unless} task does not exist; an
     * id already stored is skipped. Write transactions are serialised, so of concurrent completions awaiting each other
     * only the last sees all DONE.
     */
    static final String FOLLOW_UP = """
            INSERT OR IGNORE INTO drover_tasks (id, queue, state, priority, run_at, attempt, max_attempts, payload, codec, metadata, enqueued_at)
            SELECT ?1, ?2, 'PENDING', ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9
             WHERE EXISTS (SELECT 1 FROM drover_tasks WHERE id = ?10 AND state = 'DONE' AND lease_token = ?11)""";

    public static final String RETRY = """
            UPDATE drover_tasks
               SET state = 'PENDING', run_at = ?1, last_error = ?2, attempt_errors = {history},
                   lease_token = NULL, lease_expires_at = NULL
             WHERE id = ?3 AND lease_token = ?4 AND state = 'RUNNING'""".replace("{history}", appendAttemptError("?5", "?2"));

    public static final String KILL = """
            UPDATE drover_tasks
               SET state = 'DEAD', last_error = ?1, attempt_errors = {history},
                   finished_at = ?2, lease_token = NULL, lease_expires_at = NULL
             WHERE id = ?3 AND lease_token = ?4 AND state = 'RUNNING'""".replace("{history}", appendAttemptError("?2", "?1"));

    /** Gives the claim back: due as before, and the attempt the claim counted is returned. */
    public static final String RELEASE = """
            UPDATE drover_tasks
               SET state = 'PENDING', attempt = max(attempt - 1, 0), lease_token = NULL, lease_expires_at = NULL
             WHERE id = ?1 AND lease_token = ?2 AND state = 'RUNNING'""";

    /** One branch per index: PENDING through drover_tasks_due, RUNNING through drover_tasks_leases, the rest drover_tasks_retention. */
    public static final String COUNTS = """
            SELECT 'PENDING' AS state, count(*) AS tasks FROM drover_tasks WHERE queue = ?1 AND state = 'PENDING'
            UNION ALL
            SELECT 'RUNNING' AS state, count(*) AS tasks FROM drover_tasks WHERE queue = ?1 AND state = 'RUNNING'
            UNION ALL
            SELECT state, count(*) AS tasks FROM drover_tasks
             WHERE queue = ?1 AND state IN ('DONE', 'DEAD', 'CANCELLED')
             GROUP BY state""";

    /**
     * The first entry of the claim's index drover_tasks_due (queue, priority DESC, run_at, id) below priority ?2: the next
     * lower priority of queue ?1's PENDING tasks and, in the same probe, that priority's earliest run_at. The index is led
     * by priority, so the earliest run_at of the whole queue is found by stepping from one distinct priority to the next
     * ({@code SqlTaskStore.oldestDue}): a probe per priority, where a min(run_at) over the queue would read every pending
     * task, and an index on (queue, run_at) would be one more index write at every claim and settlement. One statement per
     * step rather than a recursive CTE: Turso's server (libSQL remote) does not run recursive CTEs.
     */
    public static final String NEXT_PRIORITY_DUE = """
            SELECT priority, run_at FROM drover_tasks
             WHERE queue = ?1 AND state = 'PENDING' AND priority < ?2
             ORDER BY priority DESC, run_at
             LIMIT 1""";

    public static final String GET = """
            SELECT %s
              FROM drover_tasks
             WHERE id = ?1 AND queue = ?2""".formatted(TASK_COLUMNS);

    /**
     * A page in id order; {@code ?2} is a state or NULL for all, {@code ?3} the last id of the previous page or ''.
     * One ordered, limited branch per state. DEAD and CANCELLED walk drover_tasks_dead_or_cancelled (queue, state, id)
     * from {@code ?3}, so their pages cost the same in a queue of ten tasks or ten million (the repeated
     * {@code state IN (...)} lets SQLite use that partial index). DONE walks the primary key's index from {@code ?3}
     * ({@code +queue}, {@code +state}: no other index), so a page stops at its 50th DONE task: at once where DONE tasks
     * are most of the table, after the tasks between where they are not (about 0.25 s past a million pending tasks
     * newer than the newest DONE one). PENDING and RUNNING are read through the claim's partial indexes and sorted: a
     * page of them costs in proportion to the queue's pending or running tasks. Both are the price of not writing an
     * inspection index at every claim and completion. Every {@link dev.drover.api.TaskState} has its branch.
     */
    public static final String LIST = """
            SELECT %s
              FROM drover_tasks
             WHERE id IN (
                     SELECT id FROM (SELECT id FROM drover_tasks
                                      WHERE queue = ?1 AND state = 'PENDING' AND (?2 IS NULL OR ?2 = 'PENDING') AND id > ?3
                                      ORDER BY id LIMIT ?4)
                     UNION ALL
                     SELECT id FROM (SELECT id FROM drover_tasks
                                      WHERE queue = ?1 AND state = 'RUNNING' AND (?2 IS NULL OR ?2 = 'RUNNING') AND id > ?3
                                      ORDER BY id LIMIT ?4)
                     UNION ALL
                     SELECT id FROM (SELECT id FROM drover_tasks
                                      WHERE +queue = ?1 AND +state = 'DONE' AND (?2 IS NULL OR ?2 = 'DONE') AND id > ?3
                                      ORDER BY id LIMIT ?4)
                     UNION ALL
                     SELECT id FROM (SELECT id FROM drover_tasks
                                      WHERE queue = ?1 AND state = 'DEAD' AND state IN ('DEAD', 'CANCELLED') AND (?2 IS NULL OR ?2 = 'DEAD') AND id > ?3
                                      ORDER BY id LIMIT ?4)
                     UNION ALL
                     SELECT id FROM (SELECT id FROM drover_tasks
                                      WHERE queue = ?1 AND state = 'CANCELLED' AND state IN ('DEAD', 'CANCELLED') AND (?2 IS NULL OR ?2 = 'CANCELLED') AND id > ?3
                                      ORDER BY id LIMIT ?4)
                      ORDER BY id
                      LIMIT ?4)
             ORDER BY id""".formatted(TASK_COLUMNS);

    /** The state of task {@code ?1} of queue {@code ?2}, read in the cancel's transaction before {@link #CANCEL} changes it. */
    public static final String STATE = """
            SELECT state FROM drover_tasks WHERE id = ?1 AND queue = ?2""";

    /**
     * Cancels a PENDING or a RUNNING task. Clearing the lease token fences a running task's worker: its heartbeat
     * ({@code lease_token = ?}) no longer holds the task, and its completion, retry, kill or release change nothing. Of
     * a cancel and a completion racing, the write lock orders them: the later one finds the task no longer RUNNING
     * under that token (the completion) or no longer PENDING or RUNNING (the cancel). The lease owner is kept: it names
     * the worker whose run was cancelled.
     */
    public static final String CANCEL = """
            UPDATE drover_tasks
               SET state = 'CANCELLED', finished_at = ?1, lease_token = NULL, lease_expires_at = NULL
             WHERE id = ?2 AND queue = ?3 AND state IN ('PENDING', 'RUNNING')""";

    /** Which of the tasks {@code ?1...} are CANCELLED: a worker telling a cancellation from a lost lease. */
    static final String CANCELLED_AMONG = """
            SELECT id FROM drover_tasks WHERE state = 'CANCELLED' AND id IN (%s)""";

    /** The last error is kept, so the requeued task still says what went wrong. */
    public static final String REQUEUE = """
            UPDATE drover_tasks
               SET state = 'PENDING', attempt = 0, run_at = ?1, finished_at = NULL
             WHERE id = ?2 AND queue = ?3 AND state IN ('DEAD', 'CANCELLED')""";

    private SqliteTaskSql() {
    }

    public static SqlStatement push(String id, String queue, int priority, long runAt, int maxAttempts, byte[] payload,
                                    String codec, String metadataJson, long enqueuedAt) {
        return SqlStatement.of(PUSH, id, queue, priority, runAt, maxAttempts, payload, codec, metadataJson, enqueuedAt);
    }

    /**
     * The four statements that push a task with a unique key, in order: {@link #FREE_UNIQUE_KEY}, {@link #TAKE_UNIQUE_KEY},
     * {@link #PUSH_IF_HOLDER}, {@link #UNIQUE_HOLDER} (whose one row names the task standing for this one).
     */
    public static List<SqlStatement> pushUnique(String id, String queue, int priority, long runAt, int maxAttempts, byte[] payload,
                                                String codec, String metadataJson, long enqueuedAt, String key, String scope,
                                                Long expiresAt) {
        return List.of(
                SqlStatement.of(FREE_UNIQUE_KEY, queue, key, enqueuedAt),
                SqlStatement.of(TAKE_UNIQUE_KEY, queue, key, id, scope, expiresAt),
                SqlStatement.of(PUSH_IF_HOLDER, id, queue, priority, runAt, maxAttempts, payload, codec, metadataJson, enqueuedAt, key),
                SqlStatement.of(UNIQUE_HOLDER, queue, key));
    }

    /** @see #FOLLOW_UP */
    public static SqlStatement followUp(String id, String queue, int priority, long runAt, int maxAttempts, byte[] payload, String codec,
                                        String metadataJson, long enqueuedAt, String completedId, String completionToken,
                                        List<String> awaiting, String unless) {
        StringBuilder sql = new StringBuilder(FOLLOW_UP);
        List<Object> args = new ArrayList<>(List.of(id, queue, priority, runAt, maxAttempts, payload, codec));
        args.add(metadataJson);
        args.addAll(List.of(enqueuedAt, completedId, completionToken));
        if (!awaiting.isEmpty()) {
            sql.append("\n   AND (SELECT count(*) FROM drover_tasks WHERE queue = ?2 AND state = 'DONE' AND id IN (");
            for (int i = 0; i < awaiting.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append('?').append(args.size() + 1);
                args.add(awaiting.get(i));
            }
            sql.append(")) = ").append(awaiting.size());
        }
        if (unless != null) {
            args.add(unless);
            sql.append("\n   AND NOT EXISTS (SELECT 1 FROM drover_tasks WHERE id = ?").append(args.size()).append(')');
        }
        return new SqlStatement(sql.toString(), args);
    }

    public static SqlStatement expireExhaustedLeases(String queue, long now) {
        return SqlStatement.of(EXPIRE_EXHAUSTED_LEASES, now, queue);
    }

    public static SqlStatement claim(String queue, String worker, int max, long now, long leaseExpiresAt) {
        return SqlStatement.of(CLAIM, worker, leaseExpiresAt, now, queue, max);
    }

    public static SqlStatement heartbeat(String id, String token, long leaseExpiresAt) {
        return SqlStatement.of(HEARTBEAT, leaseExpiresAt, id, token);
    }

    public static SqlStatement complete(String id, String token, byte[] result, long now, String completionToken) {
        return SqlStatement.of(COMPLETE, result, now, id, token, completionToken);
    }

    public static SqlStatement retry(String id, String token, long runAt, String error, long now) {
        return SqlStatement.of(RETRY, runAt, error, id, token, now);
    }

    public static SqlStatement kill(String id, String token, String error, long now) {
        return SqlStatement.of(KILL, error, now, id, token);
    }

    public static SqlStatement release(String id, String token) {
        return SqlStatement.of(RELEASE, id, token);
    }

    public static SqlStatement counts(String queue) {
        return SqlStatement.of(COUNTS, queue);
    }

    /** The statement of {@link #NEXT_PRIORITY_DUE}; {@code below} is exclusive ({@link Long#MAX_VALUE} for the highest priority). */
    public static SqlStatement nextPriorityDue(String queue, long below) {
        return SqlStatement.of(NEXT_PRIORITY_DUE, queue, below);
    }

    public static SqlStatement get(String queue, String id) {
        return SqlStatement.of(GET, id, queue);
    }

    /** @param state a state name or null for all; @param afterId null to start at the beginning */
    public static SqlStatement list(String queue, String state, String afterId, int limit) {
        return SqlStatement.of(LIST, queue, state, afterId == null ? "" : afterId, limit);
    }

    /**
     * {@link #LIST} backwards: the {@code ?4} tasks with ids just below {@code ?3}, through the same indexes walked down,
     * returned in id order.
     */
    public static final String LIST_BEFORE = LIST.replace("id > ?3", "id < ?3").replace("ORDER BY id LIMIT ?4)", "ORDER BY id DESC LIMIT ?4)")
            .replace("ORDER BY id\n                      LIMIT ?4)", "ORDER BY id DESC\n                      LIMIT ?4)");

    public static SqlStatement listBefore(String queue, String state, String beforeId, int limit) {
        return SqlStatement.of(LIST_BEFORE, queue, state, beforeId, limit);
    }

    /** Every queue with a task or a control row. */
    static final String QUEUES = """
            SELECT queue FROM (SELECT DISTINCT queue FROM drover_tasks UNION SELECT queue FROM drover_queue_control) ORDER BY queue""";

    /**
     * DONE and DEAD tasks of queue ?1 finished at or after ?2, per minute (its start in epoch ms), through the partial
     * index drover_tasks_retention (queue, state, finished_at).
     */
    static final String FINISHED_PER_MINUTE = """
            SELECT (finished_at / 60000) * 60000 AS minute,
                   sum(state = 'DONE') AS done, sum(state = 'DEAD') AS dead
              FROM drover_tasks
             WHERE queue = ?1 AND state IN ('DONE', 'DEAD') AND finished_at >= ?2
             GROUP BY 1 ORDER BY 1""";

    /** A PENDING task due now (?1); a DEAD or CANCELLED one requeued as {@link #REQUEUE} does, due now. */
    static final String RUN_NOW = """
            UPDATE drover_tasks
               SET run_at = ?1,
                   attempt = CASE WHEN state = 'PENDING' THEN attempt ELSE 0 END,
                   finished_at = NULL,
                   state = 'PENDING'
             WHERE id = ?2 AND queue = ?3 AND state IN ('PENDING', 'DEAD', 'CANCELLED')""";

    /** Deletes a finished task. */
    static final String DELETE_FINISHED_TASK = """
            DELETE FROM drover_tasks WHERE id = ?1 AND queue = ?2 AND state IN ('DONE', 'DEAD', 'CANCELLED')""";

    public static SqlStatement state(String queue, String id) {
        return SqlStatement.of(STATE, id, queue);
    }

    public static SqlStatement cancel(String queue, String id, long now) {
        return SqlStatement.of(CANCEL, now, id, queue);
    }

    /** @see #CANCELLED_AMONG */
    public static SqlStatement cancelledAmong(List<String> ids) {
        StringBuilder marks = new StringBuilder();
        for (int i = 1; i <= ids.size(); i++) marks.append(i == 1 ? "" : ", ").append('?').append(i);
        return new SqlStatement(CANCELLED_AMONG.formatted(marks), new ArrayList<>(ids));
    }

    /**
     * Retention: deletes at most ?5 finished tasks of queue ?1 that finished at or before their state's cutoff (?2 DONE,
     * ?3 DEAD, ?4 CANCELLED; a NULL cutoff keeps the state forever). The inner SELECT walks drover_tasks_retention
     * (queue, state, finished_at), one range per state (one branch each: an OR of the three would scan the table;
     * the redundant state IN (...) is what lets SQLite see the partial index applies). A task of a workflow run (metadata "run") is kept while a task of
     * the same run in the same queue is still PENDING or RUNNING: the run is not finished, and its engine reads its steps.
     */
    public static final String DELETE_FINISHED = """
            DELETE FROM drover_tasks
             WHERE id IN (SELECT f.id FROM (SELECT id, metadata FROM drover_tasks WHERE queue = ?1 AND state = 'DONE' AND finished_at <= ?2
                                                     AND state IN ('DONE', 'DEAD', 'CANCELLED')
                                  UNION ALL
                                  SELECT id, metadata FROM drover_tasks WHERE queue = ?1 AND state = 'DEAD' AND finished_at <= ?3
                                                     AND state IN ('DONE', 'DEAD', 'CANCELLED')
                                  UNION ALL
                                  SELECT id, metadata FROM drover_tasks WHERE queue = ?1 AND state = 'CANCELLED' AND finished_at <= ?4
                                                     AND state IN ('DONE', 'DEAD', 'CANCELLED')) f
                           WHERE json_extract(f.metadata, '$.run') IS NULL
                              OR (NOT EXISTS (SELECT 1 FROM drover_tasks p WHERE p.queue = ?1 AND p.state = 'PENDING'
                                                 AND json_extract(p.metadata, '$.run') = json_extract(f.metadata, '$.run'))
                                  AND NOT EXISTS (SELECT 1 FROM drover_tasks r WHERE r.queue = ?1 AND r.state = 'RUNNING'
                                                 AND json_extract(r.metadata, '$.run') = json_extract(f.metadata, '$.run')))
                           LIMIT ?5)""";

    public static SqlStatement deleteFinished(String queue, Long doneCutoff, Long deadCutoff, Long cancelledCutoff, int limit) {
        List<Object> params = new ArrayList<>();
        params.add(queue);
        params.add(doneCutoff);
        params.add(deadCutoff);
        params.add(cancelledCutoff);
        params.add(limit);
        return new SqlStatement(DELETE_FINISHED, params);
    }

    public static SqlStatement requeue(String queue, String id, long now) {
        return SqlStatement.of(REQUEUE, now, id, queue);
    }

    static SqlStatement recordStarts(String queue) {
        return SqlStatement.of(RECORD_STARTS, queue);
    }

    static SqlStatement pruneStarts(String queue) {
        return SqlStatement.of(PRUNE_STARTS, queue);
    }

    static SqlStatement pause(String queue, boolean paused, long now) {
        return SqlStatement.of(PAUSE, queue, paused ? 1 : 0, now);
    }

    static SqlStatement limit(String queue, Integer maxRunning, Integer maxStarts, Long rateIntervalMs, long now) {
        return SqlStatement.of(LIMIT, queue, maxRunning, maxStarts, rateIntervalMs, now);
    }

    static SqlStatement control(String queue) {
        return SqlStatement.of(CONTROL, queue);
    }
}
