package dev.drover.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with Drover: {@code POST /orders} stores an order and pushes its confirmation e-mail task in
 * one transaction ({@link OrdersController}); {@link OrderEmails} sends it. Start it with the README's one command and
 * try {@code curl -X POST localhost:8080/orders -H 'Content-Type: application/json' -d '{"email": "ada@example.com"}'}.
 */
@SpringBootApplication
public class OrdersApplication {
    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }
}
