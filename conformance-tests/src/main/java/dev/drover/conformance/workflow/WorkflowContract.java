package dev.drover.conformance.workflow;

import dev.drover.api.Capability;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.worker.Worker;
import dev.drover.conformance.Await;
import dev.drover.conformance.ChildJvm;
import dev.drover.conformance.Names;
import dev.drover.conformance.workflow.KitWorkflows.Line;
import dev.drover.conformance.workflow.KitWorkflows.Order;
import dev.drover.conformance.workflow.KitWorkflows.Payment;
import dev.drover.conformance.workflow.KitWorkflows.Receipt;
import dev.drover.conformance.workflow.KitWorkflows.Reservation;
import dev.drover.conformance.workflow.KitWorkflows.Summary;
import dev.drover.spi.Backend;
import dev.drover.spi.Backends;
import dev.drover.workflow.NodeStatus;
import dev.drover.workflow.RunId;
import dev.drover.workflow.RunState;
import dev.drover.workflow.RunStatus;
import dev.drover.workflow.Workflow;
import dev.drover.workflow.WorkflowCancelledException;
import dev.drover.workflow.WorkflowClient;
import dev.drover.workflow.WorkflowFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The workflow rules of {@code WORKFLOW-SPEC.md} (F1 to F9): the workflow engine ({@code drover-workflow}) end to end on
 * the backend under test — its steps as tasks, its successors pushed with each completion, its runs read back, waited
 * for and cancelled.
 * <p>
 * A backend module extends this class and writes one method, {@link #storageUrl(Path)}, exactly as for the storage and
 * worker suites. The engine reads outputs and states back, so the suite applies to backends that declare
 * {@link Capability#INSPECTION}, and is skipped, saying why, elsewhere. On a backend that declares
 * {@link Capability#FOLLOW_UPS}, F1 to F6 run with successors pushed in each completion's transaction, and F7 to F9 run
 * the same workflows with that capability hidden, through the engine's idempotent fallback; on a backend without it,
 * every rule runs through the fallback.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class WorkflowContract {
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    static final Duration WAIT = Duration.ofSeconds(30);
    /** How far a backend's clock may be from this JVM's (same machine, or a server on it). */
    static final Duration CLOCK_TOLERANCE = Duration.ofMillis(250);

    /**
     * A fresh, empty storage location for one test, as a URL {@code Backends.open} understands. Called once per test;
     * the test may open it several times (a child process does).
     */
    protected abstract String storageUrl(Path tempDir) throws Exception;

    @TempDir
    Path kitDir;

    private String url;
    private boolean hideFollowUps;
    private Backend backend;
    private final List<Backend> backends = new CopyOnWriteArrayList<>();
    private final List<Worker<?>> workers = new CopyOnWriteArrayList<>();
    private final List<ChildJvm> children = new CopyOnWriteArrayList<>();

    @BeforeEach
    void prepareStorage() throws Exception {
        url = storageUrl(Files.createDirectories(kitDir.resolve("storage")));
    }

    @AfterEach
    void stopEverything() {
        List<Worker<?>> started = new ArrayList<>(workers);
        Collections.reverse(started);
        for (Worker<?> worker : started) worker.shutdown(Duration.ofMillis(500));
        children.forEach(ChildJvm::close);
        for (Backend b : backends) b.close();
    }

    // ---- what the rules use ----

    /** The URL this test's storage is at. */
    protected final String url() {
        return url;
    }

    /** The backend this test works with (FOLLOW_UPS hidden in F7-F9), opened on first use. */
    protected final Backend backend() {
        if (backend == null) {
            Backend opened = Backends.open(url);
            backends.add(opened);
            backend = hideFollowUps ? new FollowUpsHidden(opened) : opened;
        }
        return backend;
    }

    protected final boolean has(Capability capability) {
        return backend().capabilities().contains(capability);
    }

    /** Skips the calling rule, saying why, when the backend does not declare {@code capability}. */
    protected final void requires(Capability capability, String rule) {
        Assumptions.assumeTrue(has(capability),
                () -> backend().describe() + " declares no " + capability + ": rule " + rule + " does not apply");
    }

    /** A client of {@code workflow} on this test's backend; skips the rule on a backend without INSPECTION. */
    protected final <I, O> WorkflowClient<I, O> client(Workflow<I, O> workflow, String rule) {
        requires(Capability.INSPECTION, rule + " (the workflow engine reads outputs and states back)");
        WorkflowClient<I, O> client = WorkflowClient.of(backend(), workflow);
        assertThat(client.atomicSuccessors()).as("successors pushed with each completion on %s", backend().describe())
                .isEqualTo(has(Capability.FOLLOW_UPS));
        return client;
    }

    /** Starts a worker of {@code client}'s workflow, stopped after the test. */
    protected final Worker<byte[]> startWorker(WorkflowClient<?, ?> client, int concurrency) {
        Worker<byte[]> worker = client.worker()
                .concurrency(concurrency)
                .leaseDuration(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .build();
        workers.add(worker);
        return worker.start();
    }

    /** A workflow name no other test uses (so its queue, {@code wf_<name>}, is new too). */
    protected static String workflowName() {
        return "kit_" + Names.letters(10);
    }

    /** The stored task {@code wf.<run>.<rest>} of {@code client}'s workflow. */
    protected final Optional<TaskRecord> task(WorkflowClient<?, ?> client, RunId run, String rest) {
        return backend().get(client.workflow().queue(), TaskId.of("wf." + run + "." + rest));
    }

    protected static <O> RunState<O> awaitStatus(WorkflowClient<?, O> client, RunId run, RunStatus status) {
        return Await.value(RUN_TIMEOUT, () -> {
            RunState<O> state = client.state(run);
            return state.status() == status ? Optional.of(state) : Optional.empty();
        }, "run " + run + " of " + client.workflow().name() + " is " + status);
    }

    // ======================================================================================================
    @Nested
    @DisplayName("Workflow rules F1-F2: sequences")
    class Sequences {

        @Test
        @DisplayName("F1 (required) The order pipeline — charge card, reserve stock, a filter over the lines, a delay, dispatch, email — ends SUCCEEDED with the right result; each step runs once, and the step after the delay starts no earlier than the delay after the filter")
        void required_F01_orderPipeline() throws Exception {
            orderPipeline("F1");
        }

        @Test
        @DisplayName("F2 (required) A fan-out over 100 elements runs each element once as a task of its own and gathers their outputs in element order; an empty collection gathers at once to an empty list")
        void required_F02_fanOutAndGather() throws Exception {
            fanOutAndGather("F2");
        }
    }

    @Nested
    @DisplayName("Workflow rule F3: graphs")
    class Graphs {

        @Test
        @DisplayName("F3 (required) A diamond (a; b and c after a; d joining c and b) and a join of three entries run each node once: the joins run exactly once, with their inputs in declared order, and the three entries run in parallel")
        void required_F03_diamondAndJoin() throws Exception {
            diamondAndJoin("F3");
        }
    }

    @Nested
    @DisplayName("Workflow rule F4: crashes")
    class Crashes {

        @Test
        @DisplayName("F4 (optional: MULTI_PROCESS) A workflow worker killed (SIGKILL) in the middle of a fan-out: another worker finishes the run once the lease runs out, and every step's side effect happens exactly once")
        void optional_F04_killedWorkerMidRun() throws Exception {
            killedWorkerMidRun("F4");
        }
    }

    @Nested
    @DisplayName("Workflow rules F5-F6: failure and cancellation")
    class FailureAndCancel {

        @Test
        @DisplayName("F5 (required) A step that fails on every attempt makes the run FAILED after its policy's attempts, with the step named and its error kept; nothing after it is pushed or runs. DoNotRetryException fails it on the first attempt")
        void required_F05_failingStepFailsTheRun() throws Exception {
            Ledger ledger = Ledger.inMemory();
            WorkflowClient<String, String> client = client(KitWorkflows.failing(workflowName(), ledger, false), "F5");
            startWorker(client, 2);
            RunId run = client.start("order");
            assertThatThrownBy(() -> client.await(run, RUN_TIMEOUT))
                    .isInstanceOfSatisfying(WorkflowFailedException.class, e -> {
                        assertThat(e.node()).isEqualTo("flaky");
                        assertThat(e.run()).isEqualTo(run);
                        assertThat(e.error()).contains("payment service down (attempt 3)");
                    });
            RunState<String> state = client.state(run);
            assertThat(state.status()).isEqualTo(RunStatus.FAILED);
            assertThat(state.failedNode()).isEqualTo("flaky");
            assertThat(state.error()).contains("attempt 3 of 3").contains("payment service down (attempt 3)");
            assertThat(state.result()).isNull();
            assertThat(state.node("first").status()).isEqualTo(NodeStatus.DONE);
            assertThat(state.node("first").output()).isEqualTo("order!");
            assertThat(state.node("flaky").status()).isEqualTo(NodeStatus.FAILED);
            assertThat(state.node("flaky").attempts()).isEqualTo(3);
            assertThat(state.node("flaky").error()).contains("payment service down (attempt 3)");
            assertThat(state.node("after").status()).isEqualTo(NodeStatus.PENDING);
            assertThat(task(client, run, "flaky").orElseThrow().state()).isEqualTo(TaskState.DEAD);
            assertThat(task(client, run, "after")).as("the step after the failed one is never pushed").isEmpty();
            assertThat(ledger.events()).containsExactly("first", "flaky 1", "flaky 2", "flaky 3");

            Ledger once = Ledger.inMemory();
            WorkflowClient<String, String> refusing = client(KitWorkflows.failing(workflowName(), once, true), "F5");
            startWorker(refusing, 2);
            RunId refused = refusing.start("order");
            RunState<String> dead = awaitStatus(refusing, refused, RunStatus.FAILED);
            assertThat(dead.failedNode()).isEqualTo("flaky");
            assertThat(dead.error()).contains("card declined for good (attempt 1)");
            assertThat(dead.node("flaky").attempts()).isEqualTo(1);
            assertThat(task(refusing, refused, "after")).isEmpty();
            assertThat(once.events()).containsExactly("first", "flaky 1");
        }

        @Test
        @DisplayName("F6 (required) Cancel stops a run: the state says CANCELLED at once; a running step finishes but pushes nothing, a pending (delayed) step is CANCELLED, later steps never run, await throws, and a second cancel changes nothing")
        void required_F06_cancelStopsARun() throws Exception {
            Ledger ledger = Ledger.inMemory();
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            KitWorkflows.Gate hold = (node, element) -> {
                entered.countDown();
                if (!release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) throw new IllegalStateException("the test never released 'hold'");
            };
            WorkflowClient<String, String> client = client(KitWorkflows.holding(workflowName(), ledger, hold), "F6");
            startWorker(client, 2);
            RunId run = client.start("x");
            Await.until(WAIT, () -> entered.getCount() == 0, "step 'hold' of run " + run + " is running");
            assertThat(client.cancel(run)).as("cancel of a running run").isTrue();
            RunState<String> cancelled = client.state(run);
            assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(cancelled.node("first").status()).isEqualTo(NodeStatus.DONE);
            assertThat(cancelled.node("hold").status()).isEqualTo(NodeStatus.RUNNING);
            assertThat(cancelled.node("never").status()).isEqualTo(NodeStatus.CANCELLED);

            release.countDown();
            Await.until(WAIT, () -> task(client, run, "hold").map(t -> t.state() == TaskState.DONE).orElse(false),
                    "the running step 'hold' finishes after the cancel");
            assertThat(task(client, run, "never")).as("the step after a step that finished after the cancel").isEmpty();
            RunState<String> after = client.state(run);
            assertThat(after.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(after.node("hold").status()).isEqualTo(NodeStatus.DONE);
            assertThat(after.node("never").status()).isEqualTo(NodeStatus.CANCELLED);
            assertThatThrownBy(() -> client.await(run, Duration.ofSeconds(5))).isInstanceOf(WorkflowCancelledException.class)
                    .hasMessageContaining(run.value());
            assertThat(client.cancel(run)).as("a second cancel").isFalse();
            assertThat(ledger.events()).containsExactly("first", "hold");

            Ledger later = Ledger.inMemory();
            WorkflowClient<String, String> delayed = client(KitWorkflows.delayed(workflowName(), later, Duration.ofHours(1)), "F6");
            startWorker(delayed, 2);
            RunId waiting = delayed.start("y");
            Await.until(WAIT, () -> task(delayed, waiting, "later").isPresent(), "the delayed step of run " + waiting + " is pushed");
            assertThat(task(delayed, waiting, "later").orElseThrow().state()).isEqualTo(TaskState.PENDING);
            assertThat(delayed.cancel(waiting)).isTrue();
            assertThat(task(delayed, waiting, "later").orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
            RunState<String> state = delayed.state(waiting);
            assertThat(state.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(state.node("first").status()).isEqualTo(NodeStatus.DONE);
            assertThat(state.node("later").status()).isEqualTo(NodeStatus.CANCELLED);
            assertThat(later.events()).containsExactly("first");
        }
    }

    @Nested
    @DisplayName("Workflow rules F7-F9: without follow-ups (the capability hidden)")
    class WithoutFollowUps {

        @BeforeEach
        void hideFollowUps() {
            hideFollowUps = true;
        }

        @Test
        @DisplayName("F7 (required) With FOLLOW_UPS hidden, the engine's idempotent fallback runs the order pipeline (F1) and the fan-out (F2) to the same results, each step once")
        void required_F07_sequencesWithoutFollowUps() throws Exception {
            orderPipeline("F7");
            fanOutAndGather("F7");
        }

        @Test
        @DisplayName("F8 (required) With FOLLOW_UPS hidden, the diamond and the join of three (F3) run each node once, each join exactly once")
        void required_F08_graphsWithoutFollowUps() throws Exception {
            diamondAndJoin("F8");
        }

        @Test
        @DisplayName("F9 (optional: MULTI_PROCESS) With FOLLOW_UPS hidden, a workflow worker killed (SIGKILL) mid-run (F4) loses nothing and repeats no side effect")
        void optional_F09_killedWorkerWithoutFollowUps() throws Exception {
            killedWorkerMidRun("F9");
        }
    }

    // ======================================================================================================
    // The scenarios, shared by the rules with and without follow-ups.

    private void orderPipeline(String rule) throws Exception {
        Ledger ledger = Ledger.inMemory();
        Duration delay = Duration.ofSeconds(1);
        WorkflowClient<Order, Receipt> client = client(KitWorkflows.orderPipeline(workflowName(), delay, ledger), rule);
        startWorker(client, 4);
        List<Line> lines = List.of(new Line("book", 2), new Line(KitWorkflows.OUT_OF_STOCK + "lamp", 1), new Line("pen", 3),
                new Line(KitWorkflows.OUT_OF_STOCK + "desk", 1));
        RunId run = client.start(new Order("o-1", "ada@example.com", lines));

        Receipt receipt = client.await(run, RUN_TIMEOUT);
        assertThat(receipt).isEqualTo(new Receipt("o-1", "ada@example.com", "track-o-1", List.of("book", "pen")));

        RunState<Receipt> state = client.state(run);
        assertThat(state.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(state.result()).isEqualTo(receipt);
        assertThat(state.nodes().keySet()).containsExactly("charge_card", "reserve_stock", "in_stock", "dispatch", "email_customer");
        assertThat(state.nodes().values()).allSatisfy(n -> assertThat(n.status()).as("node %s", n.node()).isEqualTo(NodeStatus.DONE));
        assertThat(state.node("charge_card").output()).isEqualTo(new Payment("o-1", "ada@example.com", 250L * 7, lines));
        assertThat(state.node("in_stock").output()).isEqualTo(List.of(
                new Reservation("o-1", "ada@example.com", "book", 2), new Reservation("o-1", "ada@example.com", "pen", 3)));
        assertThat(state.node("in_stock").elements()).isEqualTo(4);
        assertThat(state.node("in_stock").elementsDone()).isEqualTo(4);

        assertThat(ledger.counts()).as("side effects of the steps").isEqualTo(Map.of(
                "charge_card o-1", 1L, "reserve_stock o-1", 1L,
                "in_stock book", 1L, "in_stock oos-lamp", 1L, "in_stock pen", 1L, "in_stock oos-desk", 1L,
                "dispatch 2", 1L, "email_customer ada@example.com", 1L));
        Instant lastFilter = ledger.startingWith("in_stock ").stream().map(Ledger.Entry::at).max(Comparator.naturalOrder()).orElseThrow();
        Instant dispatched = ledger.startingWith("dispatch ").getFirst().at();
        assertThat(Duration.between(lastFilter, dispatched))
                .as("time from the filter's last element to the step after the delay of %s", delay)
                .isGreaterThanOrEqualTo(delay.minus(CLOCK_TOLERANCE));
    }

    private void fanOutAndGather(String rule) throws Exception {
        Ledger ledger = Ledger.inMemory();
        WorkflowClient<Integer, Summary> client = client(KitWorkflows.fanOut(workflowName(), ledger), rule);
        startWorker(client, 8);
        RunId hundred = client.start(100);
        RunId none = client.start(0);

        Summary summary = client.await(hundred, RUN_TIMEOUT);
        List<Integer> expected = IntStream.range(0, 100).boxed().flatMap(i -> java.util.stream.Stream.of(i, i * i)).toList();
        assertThat(summary.values()).as("the gathered outputs, in element order").isEqualTo(expected);
        assertThat(summary.sum()).isEqualTo(expected.stream().mapToLong(Integer::longValue).sum());
        assertThat(client.await(none, RUN_TIMEOUT)).isEqualTo(new Summary(List.of(), 0));

        for (int i = 0; i < 100; i++) assertThat(ledger.count("square " + i)).as("runs of element %d", i).isEqualTo(1);
        assertThat(ledger.count("range 100")).isEqualTo(1);
        assertThat(ledger.count("collect 200")).as("runs of the step after the gather").isEqualTo(1);
        assertThat(ledger.count("range 0")).isEqualTo(1);
        assertThat(ledger.count("collect 0")).isEqualTo(1);
        assertThat(ledger.events()).hasSize(104);

        RunState<Summary> state = client.state(hundred);
        assertThat(state.node("square").status()).isEqualTo(NodeStatus.DONE);
        assertThat(state.node("square").elements()).isEqualTo(100);
        assertThat(state.node("square").elementsDone()).isEqualTo(100);
        assertThat(task(client, hundred, "square").orElseThrow().attempt()).as("attempts of the gather").isEqualTo(1);
        assertThat(client.state(none).node("square").elements()).isZero();
    }

    private void diamondAndJoin(String rule) throws Exception {
        Ledger ledger = Ledger.inMemory();
        WorkflowClient<Integer, String> diamond = client(KitWorkflows.diamond(workflowName(), ledger), rule);
        startWorker(diamond, 8);
        List<RunId> runs = new ArrayList<>();
        for (int x = 1; x <= 5; x++) runs.add(diamond.start(x));
        for (int x = 1; x <= 5; x++) {
            RunId run = runs.get(x - 1);
            int a = x + 1;
            assertThat(diamond.await(run, RUN_TIMEOUT)).as("result of run %d", x).isEqualTo("c=" + a * 3 + " b=" + a * 2);
            assertThat(ledger.count("d " + run)).as("runs of the join d in run %d", x).isEqualTo(1);
            assertThat(ledger.count("a " + x)).isEqualTo(1);
            assertThat(ledger.count("b " + a)).isEqualTo(1);
            assertThat(ledger.count("c " + a)).isEqualTo(1);
            assertThat(task(diamond, run, "d").orElseThrow().attempt()).isEqualTo(1);
        }
        assertThat(ledger.events()).hasSize(20);

        Ledger joins = Ledger.inMemory();
        CountDownLatch all = new CountDownLatch(3);
        Map<String, Boolean> met = new ConcurrentHashMap<>();
        KitWorkflows.Gate meet = (node, element) -> {
            all.countDown();
            met.putIfAbsent(node, all.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        };
        WorkflowClient<String, String> join = client(KitWorkflows.join3(workflowName(), joins, meet), rule);
        startWorker(join, 8);
        RunId run = join.start("in");
        assertThat(join.await(run, RUN_TIMEOUT)).as("the join's inputs, in declared order (z, x, y)").isEqualTo("z:in,x:in,y:in");
        assertThat(met).as("entries that found the other two running at the same time").isEqualTo(Map.of("x", true, "y", true, "z", true));
        assertThat(joins.count("j " + run)).as("runs of the join of three").isEqualTo(1);
        assertThat(joins.events()).hasSize(4);
        RunState<String> state = join.state(run);
        assertThat(state.node("j").output()).isEqualTo("z:in,x:in,y:in");
        assertThat(state.node("x").output()).isEqualTo("x:in");
    }

    private void killedWorkerMidRun(String rule) throws Exception {
        requires(Capability.MULTI_PROCESS, rule);
        String name = workflowName();
        Path effects = kitDir.resolve("side-effects.log");
        Ledger ledger = Ledger.appendingTo(effects);
        WorkflowClient<Integer, String> client = client(KitWorkflows.crashable(name, ledger, KitWorkflows.Gate.OPEN), rule);
        int n = 6;
        int holdAt = 2;
        RunId run = client.start(n);

        try (ChildJvm child = ChildJvm.start(WorkflowWorkerMain.class, kitDir.resolve("children"), url, name, effects.toString(),
                String.valueOf(holdAt), "1000", hideFollowUps ? "hidden" : "declared")) {
            children.add(child);
            String held = child.awaitLineStartingWith("HELD work " + holdAt + " ", Duration.ofSeconds(60));
            assertThat(held).as("the attempt held in the child").isEqualTo("HELD work " + holdAt + " 1");
            RunState<String> mid = client.state(run);
            assertThat(mid.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(mid.node("prepare").status()).isEqualTo(NodeStatus.DONE);
            assertThat(mid.node("work").status()).isEqualTo(NodeStatus.RUNNING);
            assertThat(child.kill()).as("exit code of the SIGKILLed child").isNotZero();
        }
        String heldTask = "work." + String.format("%06d", holdAt);
        // heartbeats only extend a lease, and the dead child can send no more: the takeover must wait for this
        Instant leaseAfterKill = task(client, run, heldTask).orElseThrow().leaseExpiresAt();
        assertThat(leaseAfterKill).as("the stored lease of %s, held by the killed child", heldTask).isNotNull();
        List<String> byChild = ledger.fileEvents();
        List<String> beforeHold = IntStream.range(0, holdAt).mapToObj(i -> "work " + i).toList();
        assertThat(byChild).as("side effects of the killed child, which runs one task at a time in push order")
                .contains("prepare").containsAll(beforeHold)
                .doesNotContain("work " + holdAt, "total", "report").doesNotHaveDuplicates();

        startWorker(client, 4);
        assertThat(client.await(run, RUN_TIMEOUT)).isEqualTo("total " + 10 * (n * (n - 1) / 2));
        assertThat(ledger.fileEvents()).as("side effects of the whole run, from both processes")
                .containsExactlyInAnyOrderElementsOf(KitWorkflows.crashableEffects(n));
        assertThat(task(client, run, heldTask).orElseThrow().attempt())
                .as("attempts of the element held when the child died").isEqualTo(2);
        Instant takenOver = ledger.entries().stream().filter(e -> e.event().equals("work " + holdAt)).map(Ledger.Entry::at)
                .findFirst().orElseThrow(() -> new AssertionError("element " + holdAt + " did not run in this process"));
        assertThat(takenOver).as("when element %d ran here: the killed child's lease ran out at %s (less %d ms of clock allowance)",
                holdAt, leaseAfterKill, CLOCK_TOLERANCE.toMillis()).isAfterOrEqualTo(leaseAfterKill.minus(CLOCK_TOLERANCE));
        for (int i = 0; i < holdAt; i++) {
            assertThat(task(client, run, "work." + String.format("%06d", i)).orElseThrow().attempt())
                    .as("attempts of element %d, completed by the child", i).isEqualTo(1);
        }
        assertThat(task(client, run, "prepare").orElseThrow().attempt()).isEqualTo(1);
    }
}
