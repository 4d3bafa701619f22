package dev.drover.pgmq;

import dev.drover.api.InvalidTaskException;
import dev.drover.api.QueueName;

/**
 * The PGMQ queues behind one Drover queue: {@code pgmq.q_<name>} (live messages), {@code pgmq.a_<name>} (archive:
 * done and cancelled tasks) and the dead-letter queue {@code <name>_dlq} ({@code pgmq.q_<name>_dlq}). The names
 * reach SQL only as identifiers built here from a {@link QueueName}, which admits {@code [a-z][a-z0-9_]*} of at most
 * 43 characters, and they are always double-quoted; nothing else is spliced into SQL.
 */
record QueueTables(QueueName queue, String name, String dlqName) {
    static final String DLQ_SUFFIX = QueueName.RESERVED_SUFFIX;

    static QueueTables of(QueueName queue) {
        String name = queue.value();
        // QueueName admits only [a-z][a-z0-9_]* of at most 43 characters, not ending in _dlq: checked again, as these become identifiers.
        if (!name.matches("[a-z][a-z0-9_]*") || name.length() > QueueName.MAX_LENGTH || name.endsWith(DLQ_SUFFIX)) {
            throw new InvalidTaskException("invalid queue name \"" + name + "\" for the PGMQ backend"); // QueueName already refuses these
        }
        return new QueueTables(queue, name, name + DLQ_SUFFIX);
    }

    /** {@code pgmq."q_<name>"}: the live messages. */
    String q() {
        return "pgmq.\"q_" + name + "\"";
    }

    /** {@code pgmq."a_<name>"}: the archive. */
    String a() {
        return "pgmq.\"a_" + name + "\"";
    }

    /** {@code pgmq."q_<name>_dlq"}: the dead-letter queue's live messages, where dead tasks are. */
    String dlq() {
        return "pgmq.\"q_" + dlqName + "\"";
    }

    /** The NOTIFY channel PGMQ (1.7+) uses for inserts into this queue; Drover's own trigger uses it too. */
    String channel() {
        return "pgmq.q_" + name + ".INSERT";
    }
}
