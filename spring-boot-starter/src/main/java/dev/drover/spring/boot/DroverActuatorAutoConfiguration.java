package dev.drover.spring.boot;

import dev.drover.api.Drover;
import dev.drover.micrometer.DroverMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What operations see of Drover in a Spring Boot application: the health indicator {@code drover} (on whichever Boot
 * line's health API is present) and, where Micrometer and {@code drover-micrometer} are, Drover's metrics bound to the
 * application's {@link MeterRegistry}.
 */
@AutoConfiguration(after = DroverAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",       // Boot 3.5
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})  // Boot 4
@ConditionalOnBean(Drover.class)
public class DroverActuatorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DroverHealth droverHealth(Drover drover, ObjectProvider<DroverWorkers> workers) {
        return new DroverHealth(drover, workers.getIfAvailable());
    }

    /** Boot 3.5: Actuator's {@code org.springframework.boot.actuate.health}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class Boot3Health {
        @Bean
        @ConditionalOnMissingBean(name = "droverHealthIndicator")
        DroverHealthIndicator droverHealthIndicator(DroverHealth health) {
            return new DroverHealthIndicator(health);
        }
    }

    /** Boot 4: {@code org.springframework.boot.health.contributor}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Boot4Health {
        @Bean
        @ConditionalOnMissingBean(name = "droverHealthIndicator")
        DroverHealthContributor droverHealthIndicator(DroverHealth health) {
            return new DroverHealthContributor(health);
        }
    }

    /** Drover's meters in the application's registry; removed when the context closes. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"dev.drover.micrometer.DroverMetrics", "io.micrometer.core.instrument.MeterRegistry"})
    @ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
    static class Metrics {
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        DroverMetrics droverMetrics(Drover drover, MeterRegistry registry) {
            return DroverMetrics.bind(drover, registry);
        }
    }
}
