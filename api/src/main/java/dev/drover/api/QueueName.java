package dev.drover.api;

import java.util.regex.Pattern;

/**
 * A validated queue name: one rule for every backend, checked here before any backend sees the name, so an
 * application that runs on one backend runs on every other by a change of {@code DROVER_URL}.
 * <p>
 * Queue names become SQL identifiers on some backends (PGMQ makes tables {@code q_<name>}), so only 1 to 43
 * characters of {@code a-z}, {@code 0-9} and {@code _}, starting with a letter, are accepted. 43, not PGMQ's 47:
 * the PGMQ backend gives each queue a dead-letter queue {@code <name>_dlq}, which must fit too. For the same
 * reason a name may not end in {@value #RESERVED_SUFFIX}: queue {@code emails}' dead tasks live in
 * {@code emails_dlq}, so a queue of that name would mix with them.
 */
public record QueueName(String value) implements Comparable<QueueName> {
    public static final int MAX_LENGTH = 43;
    /** The suffix kept for dead-letter queues: no queue name ends with it. */
    public static final String RESERVED_SUFFIX = "_dlq";
    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_]{0," + (MAX_LENGTH - 1) + "}");

    public QueueName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new InvalidTaskException("invalid queue name " + quote(value) + ": use 1 to " + MAX_LENGTH
                    + " characters of a-z, 0-9 and _, starting with a letter (for example \"emails\" or \"resize_images\")");
        }
        if (value.endsWith(RESERVED_SUFFIX)) {
            throw new InvalidTaskException("invalid queue name " + quote(value) + ": names ending in " + RESERVED_SUFFIX
                    + " are kept for dead-letter queues on every backend (the dead tasks of queue \""
                    + value.substring(0, value.length() - RESERVED_SUFFIX.length()) + "\" live in \"" + value
                    + "\" on PGMQ); choose another name, for example \"" + value.substring(0, value.length() - RESERVED_SUFFIX.length())
                    + "_dead\"");
        }
    }

    public static QueueName of(String value) {
        return new QueueName(value);
    }

    private static String quote(String value) {
        if (value == null) return "null";
        String shown = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        return '"' + shown + '"';
    }

    @Override
    public int compareTo(QueueName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
