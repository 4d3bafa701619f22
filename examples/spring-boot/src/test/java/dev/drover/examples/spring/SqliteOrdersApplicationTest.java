package dev.drover.examples.spring;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The example application on one SQLite file for the orders and the tasks. */
class SqliteOrdersApplicationTest extends OrdersApplicationContract {
    static final Path FILE;

    static {
        try {
            FILE = Files.createTempDirectory("drover-orders").resolve("orders.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + FILE);
        registry.add("drover.url", () -> "sqlite:" + FILE);
    }
}
