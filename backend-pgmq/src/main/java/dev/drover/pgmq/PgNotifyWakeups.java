package dev.drover.pgmq;

import dev.drover.api.QueueName;
import dev.drover.spi.WakeupSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Wake-ups by LISTEN/NOTIFY on one dedicated connection (never a pooled one: a pool would hand it to someone else
 * between notifications). Each queue's table carries a trigger that notifies {@code pgmq.q_<name>.INSERT} when its
 * inserting transaction commits — the channel PGMQ 1.7+'s own {@code enable_notify_insert} uses, so either wakes
 * Drover. One thread owns the connection: it runs LISTEN for new subscriptions and waits for notifications. When the
 * connection breaks it reconnects with backoff, listens again, and wakes every subscriber once, since notifications
 * sent meanwhile are lost.
 */
final class PgNotifyWakeups implements WakeupSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PgNotifyWakeups.class);
    private static final int WAIT_MILLIS = 100;

    /** Opens the dedicated connection. */
    interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private final ConnectionSource source;
    private final String where;
    private final String connections;
    private final Map<String, List<Runnable>> listeners = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Listen> pending = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    private record Listen(String channel, boolean listen, CompletableFuture<Void> done) {
    }

    /** @param connections where the backend's connections come from and how to need fewer, for when the server refuses one */
    PgNotifyWakeups(ConnectionSource source, String where, String connections) {
        this.source = source;
        this.where = where;
        this.connections = connections;
        this.thread = Thread.ofPlatform().daemon().name("drover-pgmq-listen").unstarted(this::run);
        thread.start();
    }

    @Override
    public Subscription subscribe(QueueName queue, Runnable listener) {
        String channel = QueueTables.of(queue).channel();
        List<Runnable> list = listeners.computeIfAbsent(channel, k -> new CopyOnWriteArrayList<>());
        boolean first;
        synchronized (list) {
            first = list.isEmpty();
            list.add(listener);
        }
        if (first) command(channel, true);
        return () -> {
            boolean last;
            synchronized (list) {
                list.remove(listener);
                last = list.isEmpty();
            }
            if (last) command(channel, false);
        };
    }

    /** Hands LISTEN/UNLISTEN to the connection's thread and waits (briefly) until it ran, so no NOTIFY after subscribe is missed. */
    private void command(String channel, boolean listen) {
        if (closed) return;
        Listen command = new Listen(channel, listen, new CompletableFuture<>());
        pending.add(command);
        try {
            command.done().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The connection is down: the thread listens on every channel when it is back, and polling covers the gap.
            log.debug("{}: LISTEN {} not confirmed yet: {}", where, channel, e.toString());
        }
    }

    private void run() {
        Connection connection = null;
        long backoff = 100;
        while (!closed) {
            try {
                if (connection == null) {
                    connection = source.open();
                    connection.setAutoCommit(true);
                    for (String channel : listeners.keySet()) {
                        if (!listeners.get(channel).isEmpty()) execute(connection, "LISTEN " + quote(channel));
                    }
                    if (backoff > 100) {
                        log.info("{}: LISTEN connection is back; waking every worker once", where);
                        listeners.values().forEach(l -> l.forEach(PgNotifyWakeups::fire));
                    }
                    backoff = 100;
                }
                Listen command;
                while ((command = pending.poll()) != null) {
                    execute(connection, (command.listen() ? "LISTEN " : "UNLISTEN ") + quote(command.channel()));
                    command.done().complete(null);
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
                if (notifications != null) {
                    for (PGNotification n : notifications) {
                        List<Runnable> list = listeners.get(n.getName());
                        if (list != null) list.forEach(PgNotifyWakeups::fire);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) break;
                String refused = PgErrors.hasState(e, PgErrors.TOO_MANY_CONNECTIONS) ? PgErrors.refused(connections) : "";
                log.warn("{}: the LISTEN connection failed ({}{}); reconnecting in {} ms. Workers keep polling meanwhile.",
                        where, e.getMessage(), refused, backoff);
                closeQuietly(connection);
                connection = null;
                sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
        closeQuietly(connection);
        Listen command;
        while ((command = pending.poll()) != null) command.done().complete(null);
    }

    private static void fire(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            log.warn("a wake-up listener failed", e);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Channels are built from validated queue names; quoted because they contain dots. */
    private static String quote(String channel) {
        return '"' + channel.replace("\"", "\"\"") + '"';
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // going away anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
