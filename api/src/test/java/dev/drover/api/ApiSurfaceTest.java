package dev.drover.api;

import dev.drover.spi.Backend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dependencies between the API and the SPI point one way. Application code pushes, runs and inspects tasks with the
 * public types of {@code dev.drover.api} and needs no {@code dev.drover.spi} type: no public signature there names
 * one, except the few escape hatches for extensions built on the SPI. The SPI, in turn, names of the API only the model
 * values it shares (ids, names, tasks, queries, capabilities) and the exceptions backends throw.
 */
class ApiSurfaceTest {
    /** Public members of the API that hand out or take the SPI, on purpose: for extensions (workflows, test helpers). */
    private static final Set<String> ESCAPE_HATCHES = Set.of("Drover.backend", "Drover.using", "Worker.builder",
            "Worker.builderWithResults", "Scheduler.new");

    /** What the SPI may name of the API. */
    private static final Set<Class<?>> SHARED_WITH_THE_SPI = Set.of(TaskId.class, QueueName.class, TaskState.class,
            TaskRecord.class, TaskQuery.class, NewTask.class, FollowUp.class, WorkerId.class, Capability.class,
            DroverException.class, ConfigurationException.class, StorageException.class, InvalidTaskException.class,
            UnsupportedCapabilityException.class, CancelResult.class, AttemptError.class, QueueControl.class, QueueLimits.class,
            UniqueKey.class, ScheduleRecord.class, Schedule.class, ScheduleOptions.class,
            Retention.class, FinishedMinute.class);

    @Test
    void noPublicSignatureOfTheApiNamesAnSpiType() throws Exception {
        List<String> found = new ArrayList<>();
        for (Class<?> type : publicClasses("dev/drover/api")) {
            for (String use : signatures(type)) {
                String member = use.substring(0, use.indexOf(' '));
                if (use.contains("dev.drover.spi.") && !ESCAPE_HATCHES.contains(member)) found.add(use);
            }
        }
        assertThat(found).as("public signatures of dev.drover.api that name a dev.drover.spi type (an application would need an SPI import)")
                .isEmpty();
    }

    @Test
    void theSpiNamesOfTheApiOnlyTheValuesItShares() throws Exception {
        Set<String> shared = new TreeSet<>();
        SHARED_WITH_THE_SPI.forEach(c -> shared.add(c.getName()));
        List<String> found = new ArrayList<>();
        for (Class<?> type : publicClasses("dev/drover/spi")) {
            for (String use : signatures(type)) {
                for (String name : use.split("[^\\w.$]+")) {
                    if (name.startsWith("dev.drover.api.") && !shared.contains(name)) found.add(use + " names " + name);
                }
            }
        }
        assertThat(found).as("public signatures of dev.drover.spi that name an API type other than the shared values %s", shared).isEmpty();
    }

    /** Every public top-level or nested class compiled from {@code folder} (a package path) and the packages under it. */
    private static List<Class<?>> publicClasses(String folder) throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(Backend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve(folder))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                Class<?> type = Class.forName(name.substring(0, name.length() - ".class".length()), false, ApiSurfaceTest.class.getClassLoader());
                if (isPublic(type)) classes.add(type);
            }
        }
        assertThat(classes).as("public classes under %s", folder).isNotEmpty();
        return classes;
    }

    private static boolean isPublic(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isSynthetic()) return false;
        }
        return true;
    }

    /** "Owner.member type..." for each public (or protected) member and each supertype of {@code type}. */
    private static List<String> signatures(Class<?> type) {
        String owner = type.getName().substring(type.getPackageName().length() + 1).replace('$', '.');
        List<String> uses = new ArrayList<>();
        if (type.getGenericSuperclass() != null) uses.add(owner + ".extends " + type.getGenericSuperclass().getTypeName());
        for (Type t : type.getGenericInterfaces()) uses.add(owner + ".implements " + t.getTypeName());
        for (Field f : type.getDeclaredFields()) {
            if (visible(f.getModifiers())) uses.add(owner + "." + f.getName() + " " + f.getGenericType().getTypeName());
        }
        List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredConstructors()));
        executables.addAll(List.of(type.getDeclaredMethods()));
        for (Executable e : executables) {
            if (!visible(e.getModifiers()) || e.isSynthetic()) continue;
            StringBuilder use = new StringBuilder(owner + "." + (e instanceof Method ? e.getName() : "new") + " ");
            if (e instanceof Method m) use.append(m.getGenericReturnType().getTypeName()).append(' ');
            for (Type p : e.getGenericParameterTypes()) use.append(p.getTypeName()).append(' ');
            for (Type x : e.getGenericExceptionTypes()) use.append(x.getTypeName()).append(' ');
            uses.add(use.toString().strip() + " ");
        }
        return uses;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }
}
