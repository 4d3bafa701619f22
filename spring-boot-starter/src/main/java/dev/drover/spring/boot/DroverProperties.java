package dev.drover.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drover's settings in a Spring application, under {@code drover.*}.
 *
 * <pre>
 * drover.url=pgmq://app@db.internal:5432/app
 * drover.workers.emails.concurrency=8
 * drover.workers.emails.task-timeout=2m
 * drover.workers.emails.retry.delay=5s
 * drover.schedules.nightly-report.queue=reports
 * drover.schedules.nightly-report.cron=0 3 * * *
 * drover.schedules.nightly-report.payload={"kind": "daily"}
 * </pre>
 */
@ConfigurationProperties("drover")
public class DroverProperties {
    /**
     * Where the tasks are stored: sqlite:FILE, pgmq://USER@HOST:PORT/DB, libsql://HOST:PORT, ... (the backend's artifact
     * must be on the class path). By default an embedded SQLite file, drover.db, in the application's working directory.
     */
    private String url = "sqlite:drover.db";

    /** Backend parameters added to the URL's query, such as pool_size=10 or mode=plain (see the backend's README). */
    private Map<String, String> backend = new LinkedHashMap<>();

    /** Attempts a task gets when its push does not say (default 20). */
    private int defaultMaxAttempts = 20;

    /** The largest payload a push accepts, in bytes (default 1 MiB). */
    private int maxPayloadBytes = 1024 * 1024;

    /**
     * Whether pushes made inside a Spring-managed transaction join it (default true): the task is stored if and only if
     * the transaction commits. Only where the application's DataSource and drover.url are the same database; otherwise
     * pushes run in transactions of their own, and the application logs why at startup.
     */
    private boolean joinTransactions = true;

    /** Whether handler beans are run by workers in this application (default true; false for an application that only pushes). */
    private boolean workersEnabled = true;

    /** Worker settings by queue name; a handler's queue without an entry gets the defaults. */
    private Map<String, Worker> workers = new LinkedHashMap<>();

    /** Recurring tasks by schedule name, saved at startup; a scheduler runs in this application while there are any. */
    private Map<String, ScheduleEntry> schedules = new LinkedHashMap<>();

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public Map<String, String> getBackend() {
        return backend;
    }

    public void setBackend(Map<String, String> backend) {
        this.backend = backend;
    }

    public int getDefaultMaxAttempts() {
        return defaultMaxAttempts;
    }

    public void setDefaultMaxAttempts(int defaultMaxAttempts) {
        this.defaultMaxAttempts = defaultMaxAttempts;
    }

    public int getMaxPayloadBytes() {
        return maxPayloadBytes;
    }

    public void setMaxPayloadBytes(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public boolean isJoinTransactions() {
        return joinTransactions;
    }

    public void setJoinTransactions(boolean joinTransactions) {
        this.joinTransactions = joinTransactions;
    }

    public boolean isWorkersEnabled() {
        return workersEnabled;
    }

    public void setWorkersEnabled(boolean workersEnabled) {
        this.workersEnabled = workersEnabled;
    }

    public Map<String, Worker> getWorkers() {
        return workers;
    }

    public void setWorkers(Map<String, Worker> workers) {
        this.workers = workers;
    }

    public Map<String, ScheduleEntry> getSchedules() {
        return schedules;
    }

    public void setSchedules(Map<String, ScheduleEntry> schedules) {
        this.schedules = schedules;
    }

    /** One queue's worker: unset values keep the worker's defaults. */
    public static class Worker {
        /** Handlers run at once (default 8). */
        private Integer concurrency;
        /** How long a claimed task is held before another worker may take it, renewed by heartbeats (default 30s). */
        private Duration lease;
        /** A run longer than this is interrupted and counts as a failed attempt (default 30m). */
        private Duration taskTimeout;
        /** How long a graceful shutdown waits for running handlers before releasing their tasks (default 30s). */
        private Duration drainTimeout;
        /** Tasks claimed at most in one round trip (default 100). */
        private Integer maxBatch;
        /** The wait between claims when the queue is empty: it grows from poll-min (default 50ms) to poll-max. */
        private Duration pollMin;
        /** The longest wait between claims when the queue is empty (default 2s). */
        private Duration pollMax;
        /** The wait before a failed task runs again. */
        private Retry retry = new Retry();

        public Integer getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(Integer concurrency) {
            this.concurrency = concurrency;
        }

        public Duration getLease() {
            return lease;
        }

        public void setLease(Duration lease) {
            this.lease = lease;
        }

        public Duration getTaskTimeout() {
            return taskTimeout;
        }

        public void setTaskTimeout(Duration taskTimeout) {
            this.taskTimeout = taskTimeout;
        }

        public Duration getDrainTimeout() {
            return drainTimeout;
        }

        public void setDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }

        public Integer getMaxBatch() {
            return maxBatch;
        }

        public void setMaxBatch(Integer maxBatch) {
            this.maxBatch = maxBatch;
        }

        public Duration getPollMin() {
            return pollMin;
        }

        public void setPollMin(Duration pollMin) {
            this.pollMin = pollMin;
        }

        public Duration getPollMax() {
            return pollMax;
        }

        public void setPollMax(Duration pollMax) {
            this.pollMax = pollMax;
        }

        public Retry getRetry() {
            return retry;
        }

        public void setRetry(Retry retry) {
            this.retry = retry;
        }
    }

    /** How long a failed task waits before its next attempt. Unset: the worker's default (exponential from 1s to 1h). */
    public static class Retry {
        /** EXPONENTIAL (delay doubles per attempt, up to max-delay) or FIXED (always delay). */
        private Backoff backoff = Backoff.EXPONENTIAL;
        /** The first (or every, for FIXED) wait. */
        private Duration delay;
        /** The longest wait, for EXPONENTIAL (default 1h). */
        private Duration maxDelay = Duration.ofHours(1);
        /** Random spread of each wait, 0 to 1, for EXPONENTIAL (default 0.2). */
        private double jitter = 0.2;

        /** How the wait grows. */
        public enum Backoff { EXPONENTIAL, FIXED }

        public Backoff getBackoff() {
            return backoff;
        }

        public void setBackoff(Backoff backoff) {
            this.backoff = backoff;
        }

        public Duration getDelay() {
            return delay;
        }

        public void setDelay(Duration delay) {
            this.delay = delay;
        }

        public Duration getMaxDelay() {
            return maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

        public double getJitter() {
            return jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }
    }

    /** A recurring task: push {@code payload} (JSON) to {@code queue} at every tick of {@code cron}. */
    public static class ScheduleEntry {
        /** The queue the ticks' tasks go to. */
        private String queue;
        /** A cron expression of five fields (minute hour day-of-month month day-of-week), in UTC unless zone says. */
        private String cron;
        /** The time zone of the cron expression (default UTC). */
        private String zone = "UTC";
        /** The payload of every tick's task, as JSON (default {}). */
        private String payload = "{}";

        public String getQueue() {
            return queue;
        }

        public void setQueue(String queue) {
            this.queue = queue;
        }

        public String getCron() {
            return cron;
        }

        public void setCron(String cron) {
            this.cron = cron;
        }

        public String getZone() {
            return zone;
        }

        public void setZone(String zone) {
            this.zone = zone;
        }

        public String getPayload() {
            return payload;
        }

        public void setPayload(String payload) {
            this.payload = payload;
        }
    }
}
