package dev.drover.dashboard;

import dev.drover.api.Drover;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskQueue;
import dev.drover.api.TaskState;
import dev.drover.api.admin.QueueSummary;
import dev.drover.api.worker.RetryPolicy;
import dev.drover.api.worker.Worker;
import dev.drover.conformance.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard as an operator uses it, in a real headless Chromium: the overview with tasks in every state, a dead
 * task opened from its count, requeued through the confirmation dialog, and seen running to DONE; a payload of markup
 * shown as text; a cross-site form refused. One subclass per backend.
 */
abstract class DashboardBrowserContract {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    Drover drover;
    String queue;
    TaskQueue<JsonNode> mails;
    final AtomicBoolean relayFixed = new AtomicBoolean();
    final CountDownLatch release = new CountDownLatch(1);
    Worker<JsonNode> worker;
    Chromium chromium;

    /** The storage URL for this backend. */
    abstract String storage(Path dir);

    /** A prefix for the screenshots of this backend. */
    abstract String name();

    /** A queue of this test's own: the storage may be shared with other tests. */
    String queueName() {
        return "mails_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);
    }

    @BeforeEach
    void open() {
        drover = Drover.open(storage(dir));
        queue = queueName();
        mails = drover.queue(queue, JsonNode.class);
    }

    @AfterEach
    void close() {
        release.countDown();
        try {
            if (chromium != null) chromium.close();
            if (worker != null) worker.close();
        } finally {
            drover.close();
        }
    }

    /** Tasks in every state: 3 done, 1 running (held), 1 dead (3 failed attempts), 2 pending (due later), 1 cancelled. */
    void tasksInEveryState() {
        for (int i = 1; i <= 3; i++) mails.push(mail("user" + i + "@example.com", "Welcome aboard"));
        mails.push(mail("hold@example.com", "Quarterly report (large attachment)"));
        mails.push(mail("ada@example.com", "<script>window.pwned = 1</script>Your invoice"), TaskOptions.defaults().maxAttempts(3)
                .metadata("customer", "acme-042").metadata("note", "<b>not bold</b>"));
        mails.push(mail("later@example.com", "Reminder"), TaskOptions.defaults().runAfter(Duration.ofHours(2)));
        mails.push(mail("tomorrow@example.com", "Digest"), TaskOptions.defaults().runAfter(Duration.ofDays(1)).priority(5));
        TaskId cancelled = mails.push(mail("nobody@example.com", "Never sent"), TaskOptions.defaults().runAfter(Duration.ofHours(1)));
        mails.cancel(cancelled);
        worker = drover.worker(mails, task -> {
            String to = task.payload().path("to").asString();
            if (to.startsWith("hold")) release.await();
            if (to.startsWith("ada") && !relayFixed.get()) {
                throw new IllegalStateException("SMTP 554 5.7.1: relay access denied for " + to + " (attempt " + task.attempt() + ")");
            }
        }).concurrency(4).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50))).pollInterval(Duration.ofMillis(20), Duration.ofMillis(200)).start();
        awaitCounts(Map.of(TaskState.DONE, 3L, TaskState.RUNNING, 1L, TaskState.DEAD, 1L, TaskState.PENDING, 2L, TaskState.CANCELLED, 1L));
    }

    @Test
    void anOperatorSeesEveryStateRequeuesADeadTaskAndSeesItDone() {
        tasksInEveryState();
        try (DroverDashboard dashboard = DroverDashboard.start(drover, 0)) {
            chromium = Chromium.start();
            var driver = chromium.driver;
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            driver.get(dashboard.url().toString());
            assertThat(driver.getTitle()).isEqualTo("Queues · Drover");
            assertThat(count("pending")).isEqualTo("2");
            assertThat(count("running")).isEqualTo("1");
            assertThat(count("done")).isEqualTo("3");
            assertThat(count("dead")).isEqualTo("1");
            assertThat(count("cancelled")).isEqualTo("1");
            assertThat(driver.findElement(By.cssSelector("svg.chart")).getAttribute("aria-label")).contains("3 done, 1 dead");
            chromium.screenshot(name() + "-overview");

            driver.findElement(By.cssSelector("a[data-count='" + queue + ":dead']")).click();
            wait.until(ExpectedConditions.urlContains("state=dead"));
            WebElement row = driver.findElement(By.cssSelector("table.tasks tbody tr"));
            assertThat(row.getText()).contains("dead").contains("SMTP 554");
            row.findElement(By.cssSelector("a.id")).click();

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("pre.payload")));
            String payload = driver.findElement(By.cssSelector("pre.payload")).getText();
            assertThat(payload).as("markup in a payload is text").contains("\"subject\" : \"<script>window.pwned = 1</script>Your invoice\"");
            assertThat(driver.executeScript("return typeof window.pwned")).isEqualTo("undefined");
            assertThat(driver.findElements(By.cssSelector("table.attempts tbody tr"))).hasSize(3);
            assertThat(driver.findElement(By.cssSelector("table.meta")).getText()).contains("<b>not bold</b>");
            assertThat(driver.findElement(By.id("task-state")).getText()).isEqualTo("dead");
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1360, 1500));
            chromium.screenshot(name() + "-task");
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1360, 900));

            relayFixed.set(true);
            driver.findElement(By.cssSelector("button[data-action='requeue']")).click();
            WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
            assertThat(dialog.getText()).contains("Requeue this task?");
            driver.findElement(By.id("confirm-ok")).click();
            // the POST answers with the task page again; the page follows the task (it reloads when the task's state
            // changes) until the worker has run it
            try {
                wait.until(ExpectedConditions.textToBe(By.id("task-state"), "done"));
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("the task did not turn DONE on its page; the browser shows " + driver.getCurrentUrl() + ": "
                        + driver.findElement(By.tagName("main")).getText(), e);
            }
            assertThat(drover.admin().find(TaskId.of(driver.findElement(By.cssSelector("h1.id")).getText())).orElseThrow().state())
                    .isEqualTo(TaskState.DONE);
        }
    }

    @Test
    void aFormOnAnotherSiteCannotPauseAQueue() throws Exception {
        mails.push(mail("later@example.com", "Reminder"), TaskOptions.defaults().runAfter(Duration.ofHours(2)));
        try (DroverDashboard dashboard = DroverDashboard.start(drover, 0);
             CrossSitePage attacker = CrossSitePage.postingTo(dashboard.url().resolve("queues/" + queue + "/pause"), "confirmed=yes")) {
            chromium = Chromium.start();
            chromium.driver.get(attacker.url().toString());
            WebDriverWait wait = new WebDriverWait(chromium.driver, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.urlContains(dashboard.url().getAuthority()));
            assertThat(chromium.driver.findElement(By.tagName("main")).getText()).contains("Refused");
            assertThat(drover.admin().queue(queue).paused()).isFalse();
        }
    }

    String count(String state) {
        return chromium.driver.findElement(By.cssSelector("[data-count='" + queue + ":" + state + "']")).getText();
    }

    static JsonNode mail(String to, String subject) {
        return JSON.createObjectNode().put("to", to).put("subject", subject).put("template", "transactional-v2");
    }

    void awaitCounts(Map<TaskState, Long> expected) {
        Await.until(Duration.ofSeconds(30), () -> {
            QueueSummary q = drover.admin().queue(queue);
            return expected.entrySet().stream().allMatch(e -> q.count(e.getKey()) == e.getValue());
        }, "the counts of queue " + queue + " are " + expected);
    }
}
