package dev.drover.pgmq;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

/**
 * The connections of a {@link PostgresUrl}, as the {@link DataSource} the backend's own pool draws from. The pool is
 * given this rather than the URL's user, password and properties, so no secret reaches the pool's configuration,
 * which HikariCP logs at DEBUG masking only a property named exactly {@code password} (an {@code sslpassword} would
 * show).
 */
final class UrlDataSource implements DataSource {
    private final PostgresUrl url;
    private volatile int loginTimeoutSeconds;

    UrlDataSource(PostgresUrl url) {
        this.url = url;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return url.connect(loginTimeoutSeconds);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the user and password come from the backend URL");
    }

    /** The pool sets its connection timeout here; it applies unless the URL sets pgjdbc's loginTimeout. */
    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // pgjdbc logs through java.util.logging
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) return type.cast(this);
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    @Override
    public String toString() {
        return url.describe();
    }
}
