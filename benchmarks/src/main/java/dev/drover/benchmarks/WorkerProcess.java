package dev.drover.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The harness's side of one {@link ProcessWorkerMain} child JVM: the same {@code java}, the harness's class path,
 * {@code -Xmx256m}. Its standard output is read for the protocol lines, its standard error kept as a tail of the last
 * {@value #TAIL_LINES} lines for failure messages; its standard input is the line to it ({@link #start()},
 * {@link #stop()}), and closing it makes the child exit. A child that exits early, or never says what it should,
 * fails the run with its exit code and the tail of its standard error.
 * <p>
 * Always close it (try/finally): {@link #close()} kills the child if it still runs, so no run leaves one behind.
 */
final class WorkerProcess implements AutoCloseable {
    static final int TAIL_LINES = 20;

    /** What a child reported when it stopped: its handler's runs, the DONE its worker recorded, its peak heap. */
    record Ran(long handled, long completed, long peakHeapMiB) {
    }

    /** A child that is gone while it should be working; the scenario turns it into the run's failure. */
    static final class ExitedException extends IllegalStateException {
        ExitedException(String message) {
            super(message);
        }
    }

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<String> ran = new CompletableFuture<>();
    private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Thread stderrReader;

    private WorkerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.stderrReader = read(process.getErrorStream(), "stderr", this::keepInTail, null);
        read(process.getInputStream(), "stdout", this::protocolLine, outputEnded);
    }

    /** Starts a child that opens {@code url} and will work on {@code queue} with the options' concurrency and maxBatch. */
    static WorkerProcess start(String name, String url, String queue, Options options) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ProcessWorkerMain.class.getName(),
                url, queue, String.valueOf(options.concurrency()), String.valueOf(options.maxBatch())));
        Process process = new ProcessBuilder(command).start();
        return new WorkerProcess(name, process);
    }

    /** The {@code java} that runs the harness, or {@code java.home}'s where the OS does not say. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command().filter(c -> Files.isExecutable(Path.of(c)))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    String name() {
        return name;
    }

    /** Waits until the child has opened Drover and said so. */
    void awaitReady(Duration timeout) throws RunFailedException, InterruptedException {
        await(ready, timeout, "that it is ready");
    }

    /** Tells the child to start its worker. */
    void start() throws RunFailedException {
        send(ProcessWorkerMain.START);
    }

    /** Tells the child to stop its worker and report. */
    void stop() throws RunFailedException {
        send(ProcessWorkerMain.STOP);
    }

    /** Throws {@link ExitedException} when the child is no longer running. */
    void ensureRunning() {
        if (!process.isAlive()) throw new ExitedException(name + " exited (code " + process.exitValue() + ") while working" + tail());
    }

    /** After {@link #stop()}: waits for the child's report and its exit (code 0). */
    Ran awaitRan(Duration timeout) throws RunFailedException, InterruptedException {
        String line = await(ran, timeout, "what it ran");
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new RunFailedException(name + " reported but did not exit within " + timeout.toSeconds() + " s" + tail());
        }
        if (process.exitValue() != 0) throw new RunFailedException(name + " exited with code " + process.exitValue() + tail());
        String[] fields = line.substring(ProcessWorkerMain.RAN.length()).strip().split(" ");
        return new Ran(Long.parseLong(fields[0]), Long.parseLong(fields[1]), Long.parseLong(fields[2]));
    }

    /** Kills the child if it still runs and waits for it to be gone. Idempotent. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // the child is gone and its pipe with it
        }
        if (!process.isAlive()) return;
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                System.err.println("bench: " + name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    private void send(String line) throws RunFailedException {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new RunFailedException("cannot tell " + name + " to " + line + " (" + e.getMessage() + "; alive: " + process.isAlive() + ")"
                    + tail());
        }
    }

    /** The protocol line's value, once the child printed it; fails when its output ends first or after {@code timeout}. */
    private <T> T await(CompletableFuture<T> line, Duration timeout, String what) throws RunFailedException, InterruptedException {
        try {
            CompletableFuture.anyOf(line, outputEnded).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RunFailedException(name + " did not say " + what + " within " + timeout.toSeconds() + " s (alive: "
                    + process.isAlive() + ")" + tail());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // neither future completes exceptionally
        }
        if (line.isDone()) return line.join();
        String exit = process.waitFor(5, TimeUnit.SECONDS) ? "code " + process.exitValue() : "still running";
        throw new RunFailedException(name + " closed its output (" + exit + ") without saying " + what + tail());
    }

    private void protocolLine(String line) {
        if (line.equals(ProcessWorkerMain.READY)) {
            ready.complete(null);
        } else if (line.startsWith(ProcessWorkerMain.RAN)) {
            ran.complete(line);
        } else {
            keepInTail("stdout: " + line);
        }
    }

    private void keepInTail(String line) {
        synchronized (stderrTail) {
            if (stderrTail.size() == TAIL_LINES) stderrTail.removeFirst();
            stderrTail.addLast(line);
        }
    }

    /** The last lines of the child's standard error, to append to a failure message ("" when there are none). */
    private String tail() {
        if (!process.isAlive()) {
            try {
                stderrReader.join(2000); // what it wrote before it exited
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (stderrTail) {
            if (stderrTail.isEmpty()) return "; it wrote nothing on stderr";
            return "; the last lines of its stderr:\n      " + String.join("\n      ", stderrTail);
        }
    }

    /** A daemon thread that hands each line of {@code stream} to {@code sink} and completes {@code ended} at its end. */
    private Thread read(InputStream stream, String what, Consumer<String> sink, CompletableFuture<Void> ended) {
        return Thread.ofPlatform().daemon().name("bench-" + name + "-" + what).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) sink.accept(line);
            } catch (IOException e) {
                // the stream closes when the child is killed; what was read is kept
            } finally {
                if (ended != null) ended.complete(null);
            }
        });
    }
}
