package dev.drover.consumer;

import dev.drover.api.Drover;
import dev.drover.api.TaskQueue;
import dev.drover.api.worker.Worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Pushes one task to a SQLite file and runs it with a worker, using nothing but Drover's everyday API. */
public final class Main {
    record Greeting(String name) { }

    public static void main(String[] args) throws Exception {
        Path file = Files.createTempDirectory("drover-consumer").resolve("jobs.db");
        CountDownLatch ran = new CountDownLatch(1);
        try (Drover drover = Drover.open("sqlite:" + file)) {
            TaskQueue<Greeting> greetings = drover.queue("greetings", Greeting.class);
            greetings.push(new Greeting("Ada"));
            try (Worker<Greeting> worker = drover.worker(greetings, task -> {
                System.out.println("hello, " + task.payload().name());
                ran.countDown();
            }).start()) {
                if (!ran.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the task did not run within 30 s");
            }
        }
        String where = Main.class.getModule().isNamed() ? "module path" : "class path";
        System.out.println("consumer check passed on the " + where);
    }
}
