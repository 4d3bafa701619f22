package dev.drover.benchmarks.peers;

import java.nio.file.Path;

/** Opens one {@link Peer} per run. Found by {@link #id()} on the harness's command line. */
public interface PeerFactory {

    /** The command-line id, e.g. {@code dbscheduler-pg}, {@code jobrunr-pg}, {@code jobrunr-sqlite}. */
    String id();

    /**
     * @param postgresJdbcUrl the PostgreSQL the Drover PGMQ runs use, as a JDBC URL (user in the URL; trust auth here)
     * @param workDir         a fresh empty folder for this run's files (a SQLite database), deleted after the run
     */
    Peer open(String postgresJdbcUrl, Path workDir) throws Exception;
}
