package dev.drover.api;

import java.util.Objects;
import java.util.UUID;

/** Who holds a lease: unique per worker instance (host, process and a random part), shown in inspection. */
public record WorkerId(String value) {
    public WorkerId {
        Objects.requireNonNull(value, "worker id");
    }

    public static WorkerId generate(String queue) {
        String host = System.getenv().getOrDefault("HOSTNAME", "host");
        return new WorkerId(queue + "@" + host + ":" + ProcessHandle.current().pid() + ":"
                + UUID.randomUUID().toString().substring(0, 8));
    }

    @Override
    public String toString() {
        return value;
    }
}
