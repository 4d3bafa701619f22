package dev.drover.conformance.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The side effects steps recorded, in the order they happened. In memory for steps of this JVM; in a file (one line
 * an event, appended with O_APPEND so several processes may write it) for steps of child JVMs as well.
 */
public final class Ledger implements KitWorkflows.Recorder {
    public record Entry(String event, Instant at) { }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final Path file;

    private Ledger(Path file) {
        this.file = file;
    }

    public static Ledger inMemory() {
        return new Ledger(null);
    }

    /** A ledger that appends each event to {@code file}; {@link #fileEvents()} reads back what every process wrote. */
    public static Ledger appendingTo(Path file) {
        return new Ledger(file);
    }

    @Override
    public void record(String event) {
        entries.add(new Entry(event, Instant.now()));
        if (file != null) {
            try {
                Files.writeString(file, event + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot record the side effect \"" + event + "\" in " + file, e);
            }
        }
    }

    /** What this JVM recorded. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public List<String> events() {
        return entries.stream().map(Entry::event).toList();
    }

    /** How many times each event was recorded in this JVM. */
    public Map<String, Long> counts() {
        return events().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    public long count(String event) {
        return events().stream().filter(event::equals).count();
    }

    /** The events of this JVM starting with {@code prefix}. */
    public List<Entry> startingWith(String prefix) {
        return entries.stream().filter(e -> e.event().startsWith(prefix)).toList();
    }

    /** Every event in the file, from every process that appended to it. */
    public List<String> fileEvents() {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the side effects in " + file, e);
        }
    }
}
