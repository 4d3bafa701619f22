package dev.drover.test;

import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL with the pgmq extension in a container, for application tests on the PGMQ backend where CI has Docker.
 * Needs Testcontainers ({@code org.testcontainers:testcontainers-postgresql}) on the test class path; Drover does not
 * bring it. {@link #droverUrl()} is the URL to open Drover with, in extension mode.
 * <pre>{@code
 * try (PgmqContainer pg = new PgmqContainer()) {
 *     pg.start();
 *     try (Drover drover = Drover.open(pg.droverUrl())) { ... }
 * }
 * }</pre>
 */
public final class PgmqContainer extends PostgreSQLContainer {
    /** The image: PostgreSQL 17 with pgmq 1.5.1, published by the pgmq project. */
    public static final String IMAGE = "ghcr.io/pgmq/pg17-pgmq:v1.5.1";

    /** A container of {@link #IMAGE}. */
    public PgmqContainer() {
        this(IMAGE);
    }

    /** A container of another pgmq image (one built on the official postgres image). */
    public PgmqContainer(String image) {
        super(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
    }

    /** The Drover URL of this container's database, in pgmq extension mode; the container must be started. */
    public String droverUrl() {
        return "pgmq://" + getUsername() + ":" + getPassword() + "@" + getHost() + ":" + getMappedPort(POSTGRESQL_PORT) + "/"
                + getDatabaseName() + "?mode=extension";
    }
}
