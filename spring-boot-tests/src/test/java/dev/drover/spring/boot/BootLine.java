package dev.drover.spring.boot;

import org.springframework.boot.autoconfigure.AutoConfigurations;

/** What differs between the Boot lines these tests run on (3.5 here, 4.0 in spring-boot-starter-boot4-tests). */
final class BootLine {
    private BootLine() {
    }

    /** True on Boot 4 (its health API is the spring-boot-health module). */
    static boolean four() {
        return present("org.springframework.boot.health.contributor.HealthIndicator");
    }

    /** The line's Jackson auto-configuration. */
    static AutoConfigurations jackson() {
        return AutoConfigurations.of(load(four() ? "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"
                : "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration"));
    }

    static boolean present(String className) {
        try {
            Class.forName(className, false, BootLine.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static Class<?> load(String className) {
        try {
            return Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is not on this Boot line's class path", e);
        }
    }
}
