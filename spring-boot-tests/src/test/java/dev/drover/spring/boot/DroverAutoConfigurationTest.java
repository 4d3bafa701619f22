package dev.drover.spring.boot;

import dev.drover.api.Drover;
import dev.drover.api.Task;
import dev.drover.api.TaskHandler;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.conformance.Await;
import dev.drover.micrometer.DroverMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** Every condition and property of the starter, in real Spring contexts on real SQLite files. */
class DroverAutoConfigurationTest {
    @TempDir
    Path dir;

    /** A payload with a two-word property, to see which JSON mapper wrote it. */
    public record Greeting(String firstName) { }

    ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DroverAutoConfiguration.class, DroverActuatorAutoConfiguration.class))
                .withPropertyValues("drover.url=sqlite:" + dir.resolve("jobs.db"), "test.datasource=jdbc:sqlite:" + dir.resolve("jobs.db"));
    }

    @Test
    void aDroverOfTheUrlAndTypedQueues() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(Drover.class).hasSingleBean(DroverQueues.class).hasSingleBean(DroverWorkers.class);
            assertThat(context.getBean(Drover.class).backend().describe()).isEqualTo("sqlite:" + dir.resolve("jobs.db"));
            DroverQueues queues = context.getBean(DroverQueues.class);
            TaskQueue<Greeting> q = queues.get("greetings", Greeting.class);
            assertThat(queues.get("greetings", Greeting.class)).isSameAs(q);
            TaskId id = q.push(new Greeting("Ada"));
            assertThat(context.getBean(Drover.class).admin().get("greetings", id)).isPresent();
        });
    }

    @Test
    void theDefaultUrlIsAnSqliteFileInTheWorkingDirectory() {
        assertThat(new DroverProperties().getUrl()).isEqualTo("sqlite:drover.db");
    }

    @Test
    void backendPropertiesJoinTheUrlQuery() {
        DroverProperties p = new DroverProperties();
        p.setUrl("pgmq://app@db:5432/app?mode=plain");
        p.getBackend().put("pool_size", "4");
        assertThat(DroverAutoConfiguration.url(p)).isEqualTo("pgmq://app@db:5432/app?mode=plain&pool_size=4");
    }

    @Test
    void anUnknownSchemeFailsTheContextSayingWhichUrl() {
        runner().withPropertyValues("drover.url=nosuch://x").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("nosuch");
        });
    }

    @Test
    void anApplicationsOwnDroverWins() {
        runner().withUserConfiguration(OwnDrover.class).withPropertyValues("test.dir=" + dir).run(context -> {
            assertThat(context).hasSingleBean(Drover.class);
            assertThat(context.getBean(Drover.class).backend().describe()).endsWith("own.db");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDrover {
        @Bean(destroyMethod = "close")
        Drover drover(@org.springframework.beans.factory.annotation.Value("${test.dir}") String dir) {
            return Drover.open("sqlite:" + dir + "/own.db");
        }
    }

    @Test
    void handlerBeansAndMethodsRunTheirQueues() {
        runner().withUserConfiguration(Handlers.class).withPropertyValues("drover.workers.greetings.concurrency=3",
                "drover.workers.greetings.poll-min=20ms", "drover.workers.names.poll-min=20ms").run(context -> {
            DroverQueues queues = context.getBean(DroverQueues.class);
            queues.get("greetings", Greeting.class).push(new Greeting("Ada"));
            queues.get("names", String.class).push("Grace");
            Handlers h = context.getBean(Handlers.class);
            Await.until(Duration.ofSeconds(30), () -> h.seen.size() == 2, "both handlers ran");
            assertThat(h.seen).containsExactlyInAnyOrder("bean:Ada", "method:Grace");
            DroverWorkers workers = context.getBean(DroverWorkers.class);
            assertThat(workers.isRunning()).isTrue();
            assertThat(workers.workers()).hasSize(2);
            assertThat(workers.workers().stream().filter(w -> w.queue().value().equals("greetings")).findFirst().orElseThrow().config().concurrency())
                    .isEqualTo(3);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Bean
        GreetingHandler greetingHandler() {
            return new GreetingHandler(seen);
        }

        @DroverHandler("names")
        void name(Task<String> task) {
            seen.add("method:" + task.payload());
        }
    }

    @DroverHandler("greetings")
    record GreetingHandler(List<String> seen) implements TaskHandler<Greeting> {
        @Override
        public void handle(Task<Greeting> task) {
            seen.add("bean:" + task.payload().firstName());
        }
    }

    @Test
    void twoHandlersOfOneQueueFailTheContext() {
        runner().withUserConfiguration(TwoForOneQueue.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("two handlers for queue names");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoForOneQueue {
        @DroverHandler("names")
        void one(String name) {
        }

        @DroverHandler("names")
        void other(String name) {
        }
    }

    @Test
    void anAnnotatedBeanThatIsNoHandlerFailsTheContext() {
        runner().withBean("notAHandler", NotAHandler.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("is not a TaskHandler");
        });
    }

    @DroverHandler("names")
    static class NotAHandler {
    }

    @Test
    void workersCanBeTurnedOff() {
        runner().withUserConfiguration(Handlers.class).withPropertyValues("drover.workers-enabled=false").run(context -> {
            assertThat(context.getBean(DroverWorkers.class).workers()).isEmpty();
            assertThat(context.getBean(DroverWorkers.class).handlers()).isEqualTo(2);
        });
    }

    @Test
    void payloadsGoThroughTheApplicationsJsonMapper() {
        runner().withConfiguration(BootLine.jackson()).withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run(context -> {
            PayloadCodecs codecs = context.getBean(PayloadCodecs.class);
            assertThat(codecs.toString()).contains(BootLine.four() ? "Jackson 3" : "Jackson 2");
            TaskId id = context.getBean(DroverQueues.class).get("greetings", Greeting.class).push(new Greeting("Ada"));
            byte[] stored = context.getBean(Drover.class).admin().get("greetings", id).orElseThrow().payload();
            assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo("{\"first_name\":\"Ada\"}");
            assertThat(codecs.forType(Greeting.class).decode(stored)).isEqualTo(new Greeting("Ada"));
        });
    }

    @Test
    void withoutAnApplicationMapperDroversOwnJsonIsUsed() {
        runner().run(context -> assertThat(context.getBean(PayloadCodecs.class).toString()).contains("Jackson 3"));
    }

    @Test
    void aPushInsideASpringTransactionOnTheSameDatabaseJoinsIt() {
        runner().withUserConfiguration(SameFileDataSource.class).run(context -> {
            assertThat(context.getBean(DroverAutoConfiguration.TransactionJoin.class).joined()).isTrue();
            TaskQueue<String> q = context.getBean(DroverQueues.class).get("orders", String.class);
            TransactionTemplate tx = new TransactionTemplate(context.getBean(DataSourceTransactionManager.class));
            TaskId rolledBack = tx.execute(status -> {
                TaskId id = q.push("rolled back");
                status.setRollbackOnly();
                return id;
            });
            TaskId committed = tx.execute(status -> q.push("committed"));
            Drover drover = context.getBean(Drover.class);
            assertThat(drover.admin().get("orders", rolledBack)).as("a rollback removes the task").isEmpty();
            assertThat(drover.admin().get("orders", committed)).isPresent();
            assertThat(q.push("outside")).satisfies(id -> assertThat(drover.admin().get("orders", id)).isPresent());
            TaskId unique = tx.execute(status -> {
                TaskId id = q.push("unique", TaskOptions.defaults().unique("order-42"));
                status.setRollbackOnly();
                return id;
            });
            assertThat(drover.admin().get("orders", unique)).as("a push with a unique key commits on its own").isPresent();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class SameFileDataSource {
        @Bean
        DataSource dataSource(@org.springframework.beans.factory.annotation.Value("${test.datasource}") String url) {
            return new DriverManagerDataSource(url);
        }

        @Bean
        DataSourceTransactionManager transactionManager(DataSource dataSource) {
            return new DataSourceTransactionManager(dataSource);
        }
    }

    @Test
    void onAnotherDatabasePushesCommitOnTheirOwnAndTheContextSaysSo() {
        runner().withUserConfiguration(SameFileDataSource.class).withPropertyValues("drover.url=sqlite:" + dir.resolve("other.db"))
                .run(context -> {
                    DroverAutoConfiguration.TransactionJoin join = context.getBean(DroverAutoConfiguration.TransactionJoin.class);
                    assertThat(join.joined()).isFalse();
                    assertThat(join.reason()).isEqualTo("different databases");
                });
    }

    @Test
    void joiningCanBeTurnedOff() {
        runner().withUserConfiguration(SameFileDataSource.class).withPropertyValues("drover.join-transactions=false")
                .run(context -> assertThat(context).doesNotHaveBean(DroverAutoConfiguration.TransactionJoin.class));
    }

    @Test
    void theHealthIndicatorOfTheBootLineReportsTheBackendAndDeadTasks() {
        runner().run(context -> {
            Drover drover = context.getBean(Drover.class);
            TaskId id = drover.queue("mails", String.class).push("x");
            var claimed = drover.backend().claim(dev.drover.api.QueueName.of("mails"), new dev.drover.api.WorkerId("t"), 1, Duration.ofMinutes(1));
            drover.backend().settle(List.of(new dev.drover.spi.Settlement.Kill(claimed.getFirst().lease(), "boom")));
            Object indicator = context.getBean("droverHealthIndicator");
            assertThat(indicator).isInstanceOf(BootLine.four() ? DroverHealthContributor.class : DroverHealthIndicator.class);
            DroverHealth.Reading reading = context.getBean(DroverHealth.class).read();
            assertThat(reading.up()).isTrue();
            assertThat(reading.details()).containsEntry("backend", "sqlite:" + dir.resolve("jobs.db"));
            assertThat(reading.details().get("dead")).isEqualTo(java.util.Map.of("mails", 1L));
            assertThat(drover.admin().get("mails", id).orElseThrow().state()).isEqualTo(TaskState.DEAD);
        });
    }

    @Test
    void metricsAreBoundToTheApplicationsRegistry() {
        runner().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(DroverMetrics.class);
            context.getBean(DroverQueues.class).get("mails", String.class).push("x");
            assertThat(context.getBean(MeterRegistry.class).get("drover.tasks.pushed").tag("queue", "mails").counter().count()).isEqualTo(1.0);
        });
        runner().run(context -> assertThat(context).doesNotHaveBean(DroverMetrics.class));
    }

    @Test
    void schedulesFromConfigurationAreSaved() {
        runner().withPropertyValues("drover.schedules.nightly.queue=reports", "drover.schedules.nightly.cron=0 3 * * *",
                "drover.schedules.nightly.payload={\"kind\": \"daily\"}").run(context -> {
            assertThat(context.getBean(Drover.class).schedules()).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("nightly"));
        });
        runner().withPropertyValues("drover.schedules.broken.queue=reports", "drover.schedules.broken.cron=not a cron").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("drover.schedules.broken.cron");
        });
    }

    @Test
    void closingTheContextDrainsThenReleasesARunningTask() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Blocking.started = started;
        Blocking.never = never;
        String url = "sqlite:" + dir.resolve("jobs.db");
        TaskId id;
        var context = runner().withUserConfiguration(Blocking.class)
                .withPropertyValues("drover.workers.slow.drain-timeout=300ms", "drover.workers.slow.poll-min=20ms");
        TaskId[] pushed = new TaskId[1];
        context.run(ctx -> {
            pushed[0] = ctx.getBean(DroverQueues.class).get("slow", String.class).push("work", TaskOptions.defaults());
            assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the handler started").isTrue();
            assertThat(ctx.getBean(Drover.class).admin().get("slow", pushed[0]).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        }); // closing the context stops the worker: 300 ms to drain, then the task is released
        id = pushed[0];
        never.countDown();
        try (Drover drover = Drover.open(url)) {
            assertThat(drover.admin().get("slow", id).orElseThrow().state()).as("released for another worker").isEqualTo(TaskState.PENDING);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Blocking {
        static volatile CountDownLatch started;
        static volatile CountDownLatch never;

        @DroverHandler("slow")
        void run(String work) throws InterruptedException {
            started.countDown();
            never.await();
        }
    }

    @Test
    void everyWorkerAndTaskPropertyIsApplied() {
        runner().withUserConfiguration(Handlers.class).withPropertyValues("drover.default-max-attempts=4", "drover.max-payload-bytes=1000",
                "drover.workers.greetings.concurrency=2", "drover.workers.greetings.lease=45s", "drover.workers.greetings.task-timeout=2m",
                "drover.workers.greetings.drain-timeout=5s", "drover.workers.greetings.max-batch=7", "drover.workers.greetings.poll-min=30ms",
                "drover.workers.greetings.poll-max=900ms", "drover.workers.greetings.retry.backoff=fixed",
                "drover.workers.greetings.retry.delay=3s").run(context -> {
            Drover drover = context.getBean(Drover.class);
            assertThat(drover.settings().defaultMaxAttempts()).isEqualTo(4);
            assertThat(drover.settings().maxPayloadBytes()).isEqualTo(1000);
            TaskQueue<String> names = context.getBean(DroverQueues.class).get("other", String.class);
            assertThat(drover.admin().get("other", names.push("x", TaskOptions.defaults().runAfter(Duration.ofHours(1)))).orElseThrow().maxAttempts())
                    .isEqualTo(4);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> names.push("y".repeat(2000))).hasMessageContaining("1000");
            var config = context.getBean(DroverWorkers.class).workers().stream().filter(w -> w.queue().value().equals("greetings")).findFirst()
                    .orElseThrow().config();
            assertThat(config.concurrency()).isEqualTo(2);
            assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(45));
            assertThat(config.taskTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.maxBatch()).isEqualTo(7);
            assertThat(config.pollMin()).isEqualTo(Duration.ofMillis(30));
            assertThat(config.pollMax()).isEqualTo(Duration.ofMillis(900));
            assertThat(config.retryPolicy().delayAfter(1)).isEqualTo(Duration.ofSeconds(3));
            assertThat(config.retryPolicy().delayAfter(5)).isEqualTo(Duration.ofSeconds(3));
        });
    }

    @Test
    void aBadRetrySettingFailsTheContextNamingTheProperty() {
        runner().withUserConfiguration(Handlers.class).withPropertyValues("drover.workers.greetings.retry.delay=2h",
                "drover.workers.greetings.retry.max-delay=1m").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("drover.workers.greetings.retry");
        });
    }
}
