package dev.drover.spring.boot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** The health indicator "drover" on Spring Boot 4 (its {@code spring-boot-health} module). */
public final class DroverHealthContributor implements HealthIndicator {
    private final DroverHealth health;

    public DroverHealthContributor(DroverHealth health) {
        this.health = health;
    }

    @Override
    public Health health() {
        DroverHealth.Reading r = health.read();
        return (r.up() ? Health.up() : Health.down()).withDetails(r.details()).build();
    }
}
