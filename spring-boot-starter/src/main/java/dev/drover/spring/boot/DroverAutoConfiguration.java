package dev.drover.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.api.Drover;
import dev.drover.api.DroverSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * Drover in a Spring Boot application (4.0.x or 3.5.x): a {@link Drover} bean opened from {@code drover.url} (by
 * default an embedded SQLite file, {@code drover.db}), {@link DroverQueues} to get typed queues, {@link DroverWorkers}
 * running every {@link DroverHandler} with the context's lifecycle, payloads through the application's JSON mapper,
 * and pushes that join Spring's transactions on the same database.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",          // Boot 3.5
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",          // Boot 4
        "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",          // Boot 3.5
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"})         // Boot 4
@EnableConfigurationProperties(DroverProperties.class)
public class DroverAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(DroverAutoConfiguration.class);

    /** The storage of {@code drover.url}, with {@code drover.backend.*} added to its query; closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Drover drover(DroverProperties properties) {
        DroverSettings settings = DroverSettings.defaults().maxPayloadBytes(properties.getMaxPayloadBytes())
                .defaultMaxAttempts(properties.getDefaultMaxAttempts());
        return Drover.open(url(properties), settings);
    }

    static String url(DroverProperties properties) {
        String url = properties.getUrl();
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("drover.url is empty: set it to the storage, e.g. sqlite:drover.db or pgmq://app@db:5432/app");
        }
        StringBuilder b = new StringBuilder(url.strip());
        for (Map.Entry<String, String> e : properties.getBackend().entrySet()) {
            b.append(b.indexOf("?") < 0 ? '?' : '&').append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    @Bean
    @ConditionalOnMissingBean
    public DroverQueues droverQueues(Drover drover, PayloadCodecs codecs) {
        return new DroverQueues(drover, codecs);
    }

    /** Every {@link DroverHandler} of the context, run while the context runs. */
    @Bean
    @ConditionalOnMissingBean
    public DroverWorkers droverWorkers(Drover drover, DroverQueues queues, DroverProperties properties, ConfigurableListableBeanFactory beans) {
        return new DroverWorkers(drover, queues, properties, HandlerScan.lazily(beans));
    }

    /**
     * Payloads through the application's mapper, chosen when the bean is made (every mapper bean is known by then):
     * Boot 4's Jackson 3 {@code JsonMapper}, else Boot 3.5's Jackson 2 {@code ObjectMapper}, else Drover's own JSON.
     */
    @Bean
    @ConditionalOnMissingBean
    public PayloadCodecs droverPayloadCodecs(ObjectProvider<JsonMapper> jackson3, ObjectProvider<Jackson2Mapper> jackson2) {
        JsonMapper mapper = jackson3.getIfUnique();
        if (mapper != null) return PayloadCodecs.jackson3(mapper);
        Jackson2Mapper j2 = jackson2.getIfAvailable();
        PayloadCodecs codecs = j2 == null ? null : j2.codecs();
        return codecs != null ? codecs : PayloadCodecs.jackson3(JsonMapper.builder().build());
    }

    /** Boot 3.5's Jackson 2, where it is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "com.fasterxml.jackson.databind.ObjectMapper")
    static class Jackson2 {
        @Bean
        Jackson2Mapper droverJackson2Mapper(ObjectProvider<ObjectMapper> mappers) {
            return () -> {
                ObjectMapper mapper = mappers.getIfUnique();
                return mapper == null ? null : new Jackson2Codecs(mapper);
            };
        }
    }

    /** The application's Jackson 2 mapper as payload codecs, or null when it has none (or several). */
    @FunctionalInterface
    public interface Jackson2Mapper {
        /** The codecs, or null. */
        PayloadCodecs codecs();
    }

    /**
     * Pushes join the Spring transaction of the calling thread, where the application's DataSource is the Drover's
     * database (checked once, at startup, by their URLs). Elsewhere they commit on their own, and the log says why.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.jdbc.datasource.DataSourceUtils")
    @ConditionalOnSingleCandidate(DataSource.class)
    @ConditionalOnProperty(prefix = "drover", name = "join-transactions", havingValue = "true", matchIfMissing = true)
    static class Transactions {
        @Bean
        TransactionJoin droverTransactionJoin(Drover drover, DataSource dataSource, DroverProperties properties) {
            String jdbcUrl;
            try (Connection c = dataSource.getConnection()) {
                jdbcUrl = c.getMetaData().getURL();
            } catch (SQLException e) {
                LOG.warn("drover: pushes do not join Spring transactions: the application's DataSource did not answer ({})", e.getMessage());
                return new TransactionJoin(false, "the DataSource did not answer");
            }
            if (!SameDatabase.check(jdbcUrl, drover.backend().describe()) && !SameDatabase.check(jdbcUrl, url(properties))) {
                LOG.info("drover: pushes do not join Spring transactions: the application's DataSource ({}) and drover.url ({}) are different "
                        + "databases, so a rollback cannot remove a pushed task; each push commits on its own", SameDatabase.identity(
                        jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl).orElse("another kind of database"), drover.backend().describe());
                return new TransactionJoin(false, "different databases");
            }
            drover.joinTransactions(new SpringTransactions(dataSource));
            LOG.info("drover: pushes inside Spring transactions join them ({})", drover.backend().describe());
            return new TransactionJoin(true, "same database");
        }
    }

    /**
     * Whether pushes join Spring transactions in this application, and why.
     *
     * @param joined whether they do
     * @param reason why (or why not)
     */
    public record TransactionJoin(boolean joined, String reason) { }
}
