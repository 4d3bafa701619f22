package dev.drover.sqlite.mutants;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedMethod;

/**
 * The kit's rules fail when they are broken: chosen rules run on the SQLite backend broken by a {@link Mutation}
 * (a wrapper, {@link MutantBackend}) must fail, saying what they found; the same rules on the wrapper without a
 * mutation pass. The rules run through the JUnit launcher, as a backend module would run them.
 */
class KitMutantsTest {
    /** The mutation the mutant kits open their storage with; set while one rule runs. */
    static volatile Mutation mutation = Mutation.NONE;

    /** A rule of the kit: the mutant suite to run it in, its nested group and its method. */
    private record Rule(Class<?> kit, String group, String method) {
    }

    private static final Map<String, Rule> RULES = Map.of(
            "S1", new Rule(MutantStorageKit.class, "dev.drover.conformance.StorageContract$Setup", "required_S01_backendIsDiscoveredByUrlScheme"),
            "S4", new Rule(MutantStorageKit.class, "dev.drover.conformance.StorageContract$DueTimeAndOrder", "required_S04_notClaimedBeforeRunAt"),
            "S16", new Rule(MutantStorageKit.class, "dev.drover.conformance.StorageContract$Leases", "required_S16_expiredLeaseIsRedelivered"),
            "S37", new Rule(MutantStorageKit.class, "dev.drover.conformance.StorageContract$CallerTransactions",
                    "optional_S37_pushInTheCallersTransaction"),
            "S21", new Rule(MutantStorageKit.class, "dev.drover.conformance.StorageContract$Outcomes", "required_S21_retryPersistsTheBackoff"),
            "W14", new Rule(MutantWorkerKit.class, "dev.drover.conformance.WorkerContract$LeasesAndShutdown",
                    "optional_W14_killedWorkersTaskIsTakenOver"),
            "F4", new Rule(MutantWorkflowKit.class, "dev.drover.conformance.workflow.WorkflowContract$Crashes", "optional_F04_killedWorkerMidRun"));

    static Stream<Arguments> mutants() {
        return Stream.of(
                Arguments.of("S1", Mutation.DECLARES_NO_PUSH_BUT_PUSHES, "which declares no TRANSACTIONAL_PUSH"),
                Arguments.of("S37", Mutation.DECLARES_PUSH_IT_LACKS, "does not support TRANSACTIONAL_PUSH"),
                Arguments.of("S37", Mutation.COMMITS_THE_CALLERS_TRANSACTION, "a task pushed in the caller's open transaction"),
                Arguments.of("S1", Mutation.DECLARES_WAKEUPS_IT_LACKS, "which declares WAKEUPS"),
                Arguments.of("S4", Mutation.CLAIMS_EARLY, "when the scheduled task was claimed"),
                Arguments.of("S16", Mutation.THIRD_OF_THE_LEASE, "was claimed again"),
                Arguments.of("S16", Mutation.CLAIMS_EARLY, "was claimed again"),
                Arguments.of("S21", Mutation.CLAIMS_EARLY, "when the retried task was claimed"),
                Arguments.of("W14", Mutation.CLAIMS_EARLY, "the dead child's lease, read after the kill"),
                Arguments.of("F4", Mutation.CLAIMS_EARLY, "when element 2 ran here"));
    }

    @ParameterizedTest(name = "{0} fails on a backend that {1}")
    @MethodSource("mutants")
    @DisplayName("A kit rule fails on a backend that breaks it, saying what it found")
    void ruleFailsOnAMutant(String rule, Mutation broken, String failureSays) {
        TestExecutionSummary summary = run(rule, broken);
        assertThat(summary.getTestsFoundCount()).as("tests found for rule %s", rule).isEqualTo(1);
        assertThat(summary.getTestsFailedCount()).as("rule %s on a backend that %s: %s", rule, broken, outcome(summary)).isEqualTo(1);
        String why = summary.getFailures().getFirst().getException().getMessage();
        System.out.println("rule " + rule + " on a backend that " + broken + " failed, as it must: " + why.strip().replace("\n", " / "));
        assertThat(why).as("why rule %s failed", rule).contains(failureSays);
    }

    @ParameterizedTest(name = "{0} passes on the wrapper alone")
    @MethodSource("controls")
    @DisplayName("The rules the mutants break pass on the wrapper without a mutation")
    void rulePassesOnTheWrapperAlone(String rule) {
        TestExecutionSummary summary = run(rule, Mutation.NONE);
        assertThat(summary.getTestsFoundCount()).as("tests found for rule %s", rule).isEqualTo(1);
        assertThat(summary.getTestsSucceededCount()).as("rule %s on the wrapper alone: %s", rule, outcome(summary)).isEqualTo(1);
    }

    static List<String> controls() {
        return List.of("S1", "S4", "S16", "S21", "S37");
    }

    @Test
    @DisplayName("S37 fails, naming the missing factory, on a backend that declares TRANSACTIONAL_PUSH whose kit class gives no caller connection")
    void transactionalPushRuleFailsWhenTheKitClassGivesNoConnection() {
        TestExecutionSummary summary = run(new Rule(KitWithoutCallerConnection.class, "dev.drover.conformance.StorageContract$CallerTransactions",
                "optional_S37_pushInTheCallersTransaction"), Mutation.NONE);
        assertThat(summary.getTestsFoundCount()).as("tests found for rule S37").isEqualTo(1);
        assertThat(summary.getTestsFailedCount()).as("rule S37 without callerConnection: %s", outcome(summary)).isEqualTo(1);
        assertThat(summary.getFailures().getFirst().getException().getMessage()).as("why rule S37 failed")
                .contains("declares TRANSACTIONAL_PUSH", KitWithoutCallerConnection.class.getName(),
                        "does not override StorageContract.callerConnection(Path tempDir)");
    }

    private static TestExecutionSummary run(String name, Mutation broken) {
        return run(RULES.get(name), broken);
    }

    private static TestExecutionSummary run(Rule rule, Mutation broken) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectNestedMethod(List.of(rule.kit().getName()), rule.group(), rule.method()))
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        mutation = broken;
        try {
            LauncherFactory.create().execute(request, listener);
        } finally {
            mutation = Mutation.NONE;
        }
        return listener.getSummary();
    }

    private static String outcome(TestExecutionSummary summary) {
        StringWriter text = new StringWriter();
        summary.printFailuresTo(new PrintWriter(text), 20);
        return "succeeded " + summary.getTestsSucceededCount() + ", failed " + summary.getTestsFailedCount() + ", aborted "
                + summary.getTestsAbortedCount() + text;
    }
}
