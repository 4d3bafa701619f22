/**
 * Drover's API: tasks, queues and typed handles ({@code dev.drover.api}), codecs ({@code dev.drover.api.codec}), the
 * worker runtime ({@code dev.drover.api.worker}), and the storage SPI that backends implement ({@code dev.drover.spi}).
 * Backends are found with {@link java.util.ServiceLoader} by URL scheme: a backend module {@code provides}
 * {@link dev.drover.spi.BackendProvider}.
 */
module dev.drover.api {
    requires transitive tools.jackson.databind; // JsonCodec.of(JsonMapper, Class)
    requires transitive java.sql;               // TransactionalPush takes the application's Connection
    requires org.slf4j;
    requires com.cronutils;                     // Schedule.cron parses and computes cron ticks

    exports dev.drover.api;
    exports dev.drover.api.codec;
    exports dev.drover.api.admin;
    exports dev.drover.api.instrument;
    exports dev.drover.api.worker;
    exports dev.drover.spi;

    uses dev.drover.spi.BackendProvider;
}
