package dev.drover.api;

import java.util.regex.Pattern;

/**
 * A validated queue name. Queue names become SQL identifiers on some backends (PGMQ makes tables
 * {@code q_<name>}), so only 1 to 43 characters of {@code a-z}, {@code 0-9} and {@code _}, starting
 * with a letter, are accepted — the same rule on every backend, so a queue can move between them. 43, not
 * PGMQ's 47: the PGMQ backend gives each queue a dead-letter queue {@code <name>_dlq}, which must fit too.
 */
public record QueueName(String value) implements Comparable<QueueName> {
    public static final int MAX_LENGTH = 43;
    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_]{0," + (MAX_LENGTH - 1) + "}");

    public QueueName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new InvalidTaskException("invalid queue name " + quote(value) + ": use 1 to " + MAX_LENGTH
                    + " characters of a-z, 0-9 and _, starting with a letter (for example \"emails\" or \"resize_images\")");
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
