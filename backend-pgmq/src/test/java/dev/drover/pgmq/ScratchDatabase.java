package dev.drover.pgmq;

import dev.drover.conformance.Names;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database of its own on the test server, for a test that changes what is installed in it (an old pgmq, a role's
 * limits); dropped, with any connection still open to it, on close.
 */
record ScratchDatabase(String name, String url) implements AutoCloseable {
    static ScratchDatabase create() throws SQLException {
        return create(null);
    }

    /** A database owned by {@code owner} (a role name of letters and _), or by the test server's user when null. */
    static ScratchDatabase create(String owner) throws SQLException {
        String name = "drover_scratch_" + Names.letters(10); // [a-z]: safe as an identifier
        try (Connection c = PgTestDatabase.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + (owner == null ? "" : " OWNER " + owner));
        }
        return new ScratchDatabase(name, "pgmq://" + PgTestDatabase.HOST_PORT_USER + "/" + name);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = PgTestDatabase.connect(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
