package dev.drover.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Another JVM running one of the kit's {@code main} classes on this JVM's class path, so the backend under test is
 * on it too. Its standard output is read line by line on a thread of its own ({@link #awaitLine}); its standard
 * error goes to a file ({@link #stderrTail()} shows the end of it in failure messages); its standard input stays open
 * as the line to the parent: the kit's children exit when it closes, so a child never outlives its test run.
 * <p>
 * Always close a child (try-with-resources or a finally): {@link #close()} kills it if it is still running.
 */
public final class ChildJvm implements AutoCloseable {
    private static final AtomicInteger STARTED = new AtomicInteger();

    private final String name;
    private final Process process;
    private final Path stderrFile;
    private final Writer stdin;
    private final Thread reader;
    private final List<String> lines = new ArrayList<>(); // guarded by itself
    private volatile boolean endOfOutput;

    private ChildJvm(String name, Process process, Path stderrFile) {
        this.name = name;
        this.process = process;
        this.stderrFile = stderrFile;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = Thread.ofPlatform().daemon().name("kit-child-stdout-" + name).start(this::readOutput);
    }

    /**
     * Starts {@code mainClass} in a new JVM with this JVM's {@code java}, class path and the given arguments.
     *
     * @param logDir where the child's standard error is written ({@code <main>-<n>.stderr.log})
     */
    public static ChildJvm start(Class<?> mainClass, Path logDir, String... args) {
        int n = STARTED.incrementAndGet();
        String name = mainClass.getSimpleName() + "-" + n;
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-Xmx256m");
        command.add("-XX:-UsePerfData");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Dfile.encoding=UTF-8");
        command.add("-Dstdout.encoding=UTF-8");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            Files.createDirectories(logDir);
            Path stderr = logDir.resolve(name + ".stderr.log");
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            return new ChildJvm(name, process, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM for " + mainClass.getName() + " with " + command.getFirst(), e);
        }
    }

    /** The {@code java} that runs this JVM, or {@code java.home}'s when the OS does not tell. */
    static String javaExecutable() {
        Optional<String> current = ProcessHandle.current().info().command();
        if (current.isPresent() && Files.isExecutable(Path.of(current.get()))) return current.get();
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends one line to the child's standard input. */
    public void send(String line) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to child " + name + " (alive: " + process.isAlive() + ")" + stderrTail(), e);
        }
    }

    /** Every line the child has printed so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The lines printed so far that start with {@code prefix}. */
    public List<String> linesStartingWith(String prefix) {
        return lines().stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /**
     * The first line (printed before or during the wait) that matches; fails when the child ends its output without
     * printing one, or after {@code timeout}, showing the child's standard error.
     */
    public String awaitLine(Predicate<String> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (match.test(line)) return line;
                }
                if (endOfOutput) {
                    throw new AssertionError("child " + name + " ended its output (exit " + exitText() + ") without printing "
                            + what + "; it printed " + lines.size() + " line(s)" + stderrTail());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for child " + name
                            + " to print " + what + " (alive: " + process.isAlive() + ")" + stderrTail());
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for child " + name, e);
                }
            }
        }
    }

    public String awaitLineStartingWith(String prefix, Duration timeout) {
        return awaitLine(l -> l.startsWith(prefix), timeout, "a line starting with \"" + prefix + "\"");
    }

    /** Waits for the child to exit and for all its output to be read; returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("child " + name + " did not exit within " + timeout.toMillis() + " ms" + stderrTail());
            }
            reader.join(5000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for child " + name + " to exit", e);
        }
    }

    /**
     * Asks the child to stop (SIGTERM on Linux: shutdown hooks run), as a service manager would. Through the
     * process handle, not {@link Process#destroy()}, which also closes the child's standard input, and a kit child
     * takes that as its parent being gone and halts at once.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** Kills the child at once (SIGKILL on Linux: no shutdown hook, no finally block runs) and waits for it to be gone. */
    public int kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("child " + name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
            }
            reader.join(5000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for child " + name + " to die", e);
        }
    }

    /** The last lines of the child's standard error, ready to append to a failure message ("" when it wrote none). */
    public String stderrTail() {
        try {
            if (!Files.exists(stderrFile)) return "";
            List<String> all = Files.readAllLines(stderrFile, StandardCharsets.UTF_8);
            if (all.isEmpty()) return "";
            List<String> tail = all.subList(Math.max(0, all.size() - 40), all.size());
            return "\n--- stderr of child " + name + " (" + stderrFile + "), last " + tail.size() + " line(s):\n"
                    + String.join("\n", tail) + "\n---";
        } catch (IOException | UncheckedIOException e) {
            return "\n(stderr of child " + name + " unreadable: " + e + ")";
        }
    }

    /** Kills the child if it still runs. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the child is gone; its pipe may already be broken
        }
    }

    @Override
    public String toString() {
        return "child " + name + " (pid " + process.pid() + ")";
    }

    private String exitText() {
        return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the stream closes when the child is killed; what was read is kept
        } finally {
            synchronized (lines) {
                endOfOutput = true;
                lines.notifyAll();
            }
        }
    }
}
