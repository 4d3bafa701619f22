package dev.drover.test;

import dev.drover.api.Drover;
import dev.drover.api.TaskQueue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;

class PgmqContainerTest {
    record Ping(int n) { }

    @Test
    void aTaskRunsOnTheContainersPgmq() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "PgmqContainer not tested: no Docker engine on this machine (Testcontainers found none); everything else in drover-test is");
        try (PgmqContainer pg = new PgmqContainer()) {
            pg.start();
            try (Drover drover = Drover.open(pg.droverUrl())) {
                TaskQueue<Ping> pings = drover.queue("pings", Ping.class);
                pings.push(new Ping(1));
                assertThat(Drain.drain(drover, pings, task -> { }).succeeded()).hasSize(1);
            }
        }
    }
}
