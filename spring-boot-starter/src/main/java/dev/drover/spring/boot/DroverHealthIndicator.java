package dev.drover.spring.boot;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** The health indicator "drover" on Spring Boot 3.5 (Actuator's {@code org.springframework.boot.actuate.health}). */
public final class DroverHealthIndicator implements HealthIndicator {
    private final DroverHealth health;

    public DroverHealthIndicator(DroverHealth health) {
        this.health = health;
    }

    @Override
    public Health health() {
        DroverHealth.Reading r = health.read();
        return (r.up() ? Health.up() : Health.down()).withDetails(r.details()).build();
    }
}
