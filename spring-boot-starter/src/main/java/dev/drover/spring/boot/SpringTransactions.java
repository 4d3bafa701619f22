package dev.drover.spring.boot;

import dev.drover.api.AmbientTransaction;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.Objects;

/**
 * Spring's transaction on the application's DataSource, as Drover's {@link AmbientTransaction}: where the calling
 * thread is in a Spring-managed transaction that holds a connection of {@code dataSource} ({@code @Transactional} with
 * a DataSource or JPA transaction manager), a push uses that connection, so a rollback removes its tasks. Elsewhere —
 * no transaction, or one that holds no connection of this DataSource — it returns null and the push commits on its own.
 */
final class SpringTransactions implements AmbientTransaction {
    private final DataSource dataSource;

    SpringTransactions(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public Connection current() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) return null;
        if (!(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder holder) || !holder.isSynchronizedWithTransaction()) {
            return null;
        }
        return DataSourceUtils.getConnection(dataSource);
    }

    @Override
    public void release(Connection connection) {
        DataSourceUtils.releaseConnection(connection, dataSource);
    }
}
