package dev.drover.examples;

import dev.drover.api.DoNotRetryException;
import dev.drover.api.Drover;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQuery;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.codec.BytesCodec;
import dev.drover.api.worker.Monitor;
import dev.drover.api.worker.RetryPolicy;
import dev.drover.api.worker.Worker;
import dev.drover.api.worker.WorkerEvent;
import dev.drover.api.worker.WorkerListener;
import dev.drover.micrometer.DroverMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The README's demo: a few hundred tasks of mixed priority and delay on an embedded SQLite file, some failing
 * and retrying, one that never succeeds, one the handler refuses, one undecodable. Two workers run them with
 * visible progress; a summary follows. Set DROVER_URL to run the same program on another backend.
 */
public final class Demo {
    record Email(String to, String subject) { }

    record Thumbnail(String image, int width) { }

    public static void main(String[] args) throws Exception {
        String url = System.getenv("DROVER_URL");
        if (url == null || url.isBlank()) {
            Path file = Path.of("target", "drover-demo.db").toAbsolutePath();
            Files.createDirectories(file.getParent());
            for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(Path.of(file + suffix));
            url = "sqlite:" + file;
            run(url, "");
        } else {
            // A server keeps the queues of earlier runs: each run gets queues of its own, so its summary counts only its tasks.
            run(url, "_" + Long.toString(System.currentTimeMillis(), 36));
        }
    }

    /** Runs the demo on {@code url}, on the queues {@code emails<suffix>} and {@code thumbnails<suffix>}. */
    static void run(String url, String queueSuffix) throws Exception {
        AtomicLong retries = new AtomicLong();
        WorkerListener listener = event -> {
            if (event instanceof WorkerEvent.TaskRetrying) retries.incrementAndGet();
        };

        MeterRegistry registry = new SimpleMeterRegistry();
        try (Drover drover = Drover.open(url); DroverMetrics metrics = DroverMetrics.bind(drover, registry)) {
            // The backend describes itself without the URL's password or token.
            System.out.println("Drover demo on " + drover + (queueSuffix.isEmpty() ? "" : " (queues emails" + queueSuffix
                    + " and thumbnails" + queueSuffix + ")"));
            TaskQueue<Email> emails = drover.queue("emails" + queueSuffix, Email.class);
            TaskQueue<Thumbnail> thumbnails = drover.queue("thumbnails" + queueSuffix, Thumbnail.class);
            int pushed = pushWork(drover, emails, thumbnails);
            System.out.println("pushed " + pushed + " tasks (priorities 0-9, some delayed up to 2 s)");

            long start = System.nanoTime();
            Worker<Email> emailWorker = drover.worker(emails, task -> {
                Email mail = task.payload();
                work();
                if (mail.to().startsWith("bounce")) throw new DoNotRetryException("mailbox " + mail.to() + " does not exist");
                if (mail.to().startsWith("flaky") && task.attempt() == 1) throw new IllegalStateException("SMTP 451: try again later");
                if (mail.to().startsWith("broken")) throw new IllegalStateException("SMTP 554: relay refused on attempt " + task.attempt());
            }).concurrency(4).retryPolicy(RetryPolicy.exponential(Duration.ofMillis(100), Duration.ofMillis(400), 0.2))
                    .pollInterval(Duration.ofMillis(20), Duration.ofMillis(250)).listener(listener).build();
            Worker<Thumbnail> thumbWorker = drover.worker(thumbnails, task -> {
                work();
                if (task.payload().width() % 13 == 0 && task.attempt() < 3) throw new IllegalStateException("image service timed out");
            }).concurrency(4).retryPolicy(RetryPolicy.exponential(Duration.ofMillis(100), Duration.ofMillis(400), 0.2))
                    .pollInterval(Duration.ofMillis(20), Duration.ofMillis(250)).listener(listener).build();

            Monitor monitor = Monitor.of(emailWorker, thumbWorker).start().stopOnShutdownSignal();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (true) {
                    Map<TaskState, Long> e = emails.counts();
                    Map<TaskState, Long> t = thumbnails.counts();
                    long open = open(e) + open(t);
                    long done = e.getOrDefault(TaskState.DONE, 0L) + t.getOrDefault(TaskState.DONE, 0L);
                    long dead = e.getOrDefault(TaskState.DEAD, 0L) + t.getOrDefault(TaskState.DEAD, 0L);
                    System.out.printf("  progress: %3d done, %2d dead, %3d to go, %2d retries so far%n", done, dead, open, retries.get());
                    if (open == 0) break;
                    if (System.nanoTime() > deadline) {
                        System.out.println("the demo did not finish within 90 s; " + open + " tasks still open");
                        System.exit(1);
                    }
                    Thread.sleep(300); // progress display cadence, not synchronisation
                }
            } finally {
                monitor.close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            Map<TaskState, Long> e = emails.counts();
            Map<TaskState, Long> t = thumbnails.counts();
            long done = e.getOrDefault(TaskState.DONE, 0L) + t.getOrDefault(TaskState.DONE, 0L);
            System.out.println();
            System.out.println("Summary");
            System.out.printf("  done:    %d%n", done);
            System.out.printf("  retried: %d attempts failed and were retried with backoff%n", retries.get());
            List<TaskRecord> deadTasks = new ArrayList<>();
            deadTasks.addAll(emails.list(TaskQuery.of(emails.name()).state(TaskState.DEAD)));
            deadTasks.addAll(thumbnails.list(TaskQuery.of(thumbnails.name()).state(TaskState.DEAD)));
            System.out.printf("  dead:    %d%n", deadTasks.size());
            for (TaskRecord dead : deadTasks) {
                System.out.printf("    %s %s after %d attempt(s): %s%n", dead.queue(), dead.id(), dead.attempt(), firstLine(dead.lastError()));
            }
            System.out.printf("  workers: stopped, %s%n", monitor.drainedCleanly() ? "drained cleanly" : "released unfinished tasks");
            System.out.printf("  rate:    %.0f tasks/s over %.1f s (handlers sleep 2-10 ms; delays and backoff included)%n", done / seconds, seconds);
            printMetrics(registry);
        }
    }

    /** What drover-micrometer recorded, summed over the demo's queues (an application would export the registry instead). */
    private static void printMetrics(MeterRegistry registry) {
        System.out.println();
        System.out.println("Metrics (drover-micrometer, summed over both queues)");
        for (String name : List.of(DroverMetrics.TASKS_PUSHED, DroverMetrics.TASKS_STARTED, DroverMetrics.TASKS_COMPLETED,
                DroverMetrics.TASKS_RETRIED, DroverMetrics.TASKS_DEAD)) {
            double total = registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
            System.out.printf("  %-26s %6.0f%n", name, total);
        }
        for (String name : List.of(DroverMetrics.HANDLER_DURATION, DroverMetrics.TASKS_START_DELAY)) {
            long count = 0;
            double totalMs = 0;
            double maxMs = 0;
            for (Timer timer : registry.find(name).timers()) {
                count += timer.count();
                totalMs += timer.totalTime(TimeUnit.MILLISECONDS);
                maxMs = Math.max(maxMs, timer.max(TimeUnit.MILLISECONDS));
            }
            System.out.printf("  %-26s %6d samples, mean %.1f ms, max %.1f ms%n", name, count, count == 0 ? 0 : totalMs / count, maxMs);
        }
    }

    private static int pushWork(Drover drover, TaskQueue<Email> emails, TaskQueue<Thumbnail> thumbnails) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Email> batch = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String to = (i % 10 == 3 ? "flaky" : "user") + i + "@example.com";
            batch.add(new Email(to, "Welcome #" + i));
        }
        int count = 0;
        for (int p = 0; p < 10; p++) {
            count += emails.pushAll(batch.subList(p * 15, p * 15 + 15), TaskOptions.defaults().priority(p)).size();
        }
        emails.push(new Email("broken@example.com", "never delivered"), TaskOptions.defaults().maxAttempts(3));
        emails.push(new Email("bounce@example.com", "refused"));
        count += 2;
        for (int i = 0; i < 150; i++) {
            TaskOptions options = TaskOptions.defaults().priority(random.nextInt(10));
            if (i % 5 == 0) options = options.runAfter(Duration.ofMillis(random.nextInt(2000)));
            thumbnails.push(new Thumbnail("img-" + i + ".png", 100 + i), options);
            count++;
        }
        // Someone pushed bytes that are not JSON onto the emails queue: it goes DEAD, the worker goes on.
        drover.queue(emails.name().value(), BytesCodec.INSTANCE).push("<html>not an email</html>".getBytes(StandardCharsets.UTF_8));
        return count + 1;
    }

    private static long open(Map<TaskState, Long> counts) {
        return counts.getOrDefault(TaskState.PENDING, 0L) + counts.getOrDefault(TaskState.RUNNING, 0L);
    }

    private static void work() throws InterruptedException {
        Thread.sleep(2 + ThreadLocalRandom.current().nextInt(9));
    }

    private static String firstLine(String text) {
        if (text == null) return "";
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
