package dev.drover.test;

import dev.drover.api.Drover;
import dev.drover.api.TaskQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DroverTest
class DroverExtensionTest {
    record Email(String to) { }

    private static final Set<Drover> SEEN = ConcurrentHashMap.newKeySet();
    private Drover fromBeforeEach;

    @BeforeEach
    void setUp(Drover drover) {
        fromBeforeEach = drover;
    }

    @RepeatedTest(3)
    void everyTestGetsAFreshDroverOnItsOwnFile(Drover drover) {
        TaskQueue<Email> emails = drover.queue("emails", Email.class);
        assertThat(emails.counts().values().stream().mapToLong(Long::longValue).sum())
                .as("tasks left in the queue by an earlier test").isZero();
        emails.push(new Email("ada@example.com"));
        assertThat(SEEN.add(drover)).as("a Drover not given to an earlier test").isTrue();
        assertThat(drover.backend().describe()).as("the default backend").startsWith("sqlite:").contains("drover-test-");
    }

    @Test
    void aLifecycleMethodAndItsTestShareOneDrover(Drover drover) {
        assertThat(fromBeforeEach).isSameAs(drover);
    }

    @Test
    void whatTheExtensionOpensItClosesAndDeletes() throws Exception {
        DroverExtension.OpenDrover open = DroverExtension.OpenDrover.open("");
        TaskQueue<Email> emails = open.drover().queue("emails", Email.class);
        emails.push(new Email("ada@example.com"));
        assertThat(open.directory()).as("the test's own directory").isDirectory();

        open.close(); // what JUnit does after the test, the store closing what it holds

        assertThat(open.directory()).as("the test's directory after the test").doesNotExist();
        assertThatThrownBy(() -> emails.push(new Email("late@example.com"))).as("a push through the closed Drover")
                .isInstanceOf(RuntimeException.class);
    }

    @Nested
    @DroverTest(url = "sqlite::memory:")
    class WithAUrl {
        @Test
        void theAnnotationsUrlIsOpened(Drover drover) {
            assertThat(drover.backend().describe()).as("the backend of url = sqlite::memory:").contains("memory");
        }
    }
}
