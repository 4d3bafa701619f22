package dev.drover.conformance;

import dev.drover.api.Capability;
import dev.drover.spi.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the kit's suites share: the one factory method a backend module writes, the storage URL of the running
 * test, the capability checks that skip an optional rule with its reason, and clean-up of what a rule opened.
 * A backend module extends {@link StorageContract} and {@link WorkerContract}, not this class.
 */
public abstract sealed class BackendContract permits StorageContract, WorkerContract {
    /** How far a backend's clock may be from this JVM's (same machine, or a server on it). */
    static final Duration CLOCK_TOLERANCE = Duration.ofMillis(250);

    /**
     * A fresh, empty storage location for one test, as a URL {@code Drover.open}/{@code Backends.open} understand.
     * Called once per test; the test may open it several times (reopen, other processes).
     */
    protected abstract String storageUrl(Path tempDir) throws Exception;

    @TempDir
    Path kitDir;

    /** Child JVMs a rule started; killed after the test. */
    final List<ChildJvm> children = new CopyOnWriteArrayList<>();

    /** The folder {@link #storageUrl(Path)} was given for this test. */
    Path storageDir;

    private String url;

    BackendContract() {
    }

    @BeforeEach
    void prepareStorage() throws Exception {
        storageDir = Files.createDirectories(kitDir.resolve("storage"));
        url = storageUrl(storageDir);
    }

    @AfterEach
    void closeChildren() {
        children.forEach(ChildJvm::close);
    }

    /** The URL this test's storage is at. */
    protected final String url() {
        return url;
    }

    /** The backend whose declared capabilities decide which optional rules apply. */
    abstract Backend subject();

    protected final Set<Capability> capabilities() {
        return subject().capabilities();
    }

    protected final boolean has(Capability capability) {
        return capabilities().contains(capability);
    }

    /** Skips the calling rule, saying why, when the backend does not declare {@code capability}. */
    protected final void requires(Capability capability, String rule) {
        Assumptions.assumeTrue(has(capability),
                () -> subject().describe() + " declares no " + capability + ": rule " + rule + " does not apply");
    }

    /** Closes each of {@code opened}, last opened first; throws the first failure, with the others suppressed. */
    final void closeAll(List<? extends AutoCloseable> opened, String what) {
        List<AutoCloseable> all = new ArrayList<>(opened);
        Collections.reverse(all);
        IllegalStateException failure = null;
        for (AutoCloseable closeable : all) {
            try {
                closeable.close();
            } catch (Exception e) {
                if (failure == null) failure = new IllegalStateException("closing a " + what + " on " + url + " failed: " + e.getMessage(), e);
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }
}
