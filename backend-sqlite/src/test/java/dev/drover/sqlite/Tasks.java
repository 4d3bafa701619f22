package dev.drover.sqlite;

import dev.drover.api.NewTask;
import dev.drover.api.QueueName;
import dev.drover.api.TaskId;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/** Small helpers the tests share. */
final class Tasks {
    private Tasks() {
    }

    static NewTask task(String queue, String payload) {
        return task(queue, payload, 0, Instant.now(), 3);
    }

    static NewTask task(String queue, String payload, int priority, Instant runAt, int maxAttempts) {
        return NewTask.builder(QueueName.of(queue), payload.getBytes(StandardCharsets.UTF_8), "text").priority(priority).runAt(runAt).maxAttempts(maxAttempts).build();
    }

    /** A plain sqlite-jdbc connection, as an application would open one. */
    static Connection jdbc(java.nio.file.Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }
}
