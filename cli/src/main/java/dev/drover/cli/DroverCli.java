package dev.drover.cli;

import dev.drover.api.AttemptError;
import dev.drover.api.CancelResult;
import dev.drover.api.ConfigurationException;
import dev.drover.api.Drover;
import dev.drover.api.DroverException;
import dev.drover.api.FinishedMinute;
import dev.drover.api.InvalidTaskException;
import dev.drover.api.StorageException;
import dev.drover.api.TaskId;
import dev.drover.api.TaskOptions;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.admin.AdminJson;
import dev.drover.api.admin.DroverAdmin;
import dev.drover.api.admin.QueueSummary;
import dev.drover.api.admin.TaskPage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The {@code drover} command-line tool: operates a Drover storage through {@link DroverAdmin}, on the backend named by
 * {@code --url} or {@code DROVER_URL}. Tables for people, {@code --json} for scripts. Exit codes: {@value #OK} done,
 * {@value #NOT_DONE} not found or nothing to do, {@value #USAGE} a usage error, {@value #STORAGE} the storage could not
 * be opened or failed.
 */
@Command(name = "drover", mixinStandardHelpOptions = true, version = "drover 0.1.0-SNAPSHOT",
        description = "Operate a Drover job storage: queues, tasks, requeues and more.",
        subcommands = {DroverCli.Queues.class, DroverCli.Stats.class, DroverCli.ListTasks.class, DroverCli.Show.class,
                DroverCli.Requeue.class, DroverCli.Cancel.class, DroverCli.Retry.class, DroverCli.Delete.class,
                DroverCli.Purge.class, DroverCli.Pause.class, DroverCli.Resume.class, DroverCli.Push.class,
                DroverCli.Dashboard.class})
public final class DroverCli {
    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The task or queue was not found, or the action did not apply (a task in the wrong state). */
    public static final int NOT_DONE = 1;
    /** The command line was wrong: an unknown command or option, a bad queue name, id, duration or JSON. */
    public static final int USAGE = 2;
    /** The storage could not be opened (a missing or malformed URL, an unreachable database) or failed. */
    public static final int STORAGE = 3;

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(names = "--url", scope = CommandLine.ScopeType.INHERIT, description = "the backend URL (default: $DROVER_URL)")
    String url;

    @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT, description = "print JSON instead of a table")
    boolean json;

    private DroverCli() {
    }

    /** Runs the tool and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8), new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs the tool; returns its exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // the tool's output, not the library's INFO lines
        }
        CommandLine cli = new CommandLine(new DroverCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InvalidTaskException || e instanceof IllegalArgumentException) {
                err.println("drover: " + e.getMessage());
                return USAGE;
            }
            if (e instanceof ConfigurationException || e instanceof StorageException || e instanceof DroverException) {
                err.println("drover: " + e.getMessage());
                return STORAGE;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("drover: " + e.getMessage());
            e.getCommandLine().usage(err);
            return USAGE;
        });
        return cli.execute(args);
    }

    /** What every command shares: opening the storage, printing. */
    abstract static class Base implements Callable<Integer> {
        @CommandLine.ParentCommand
        DroverCli root;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        @Override
        public final Integer call() {
            String url = root.url != null ? root.url : System.getenv("DROVER_URL");
            if (url == null || url.isBlank()) {
                err().println("drover: no storage given: pass --url (e.g. --url sqlite:jobs.db) or set DROVER_URL");
                return USAGE;
            }
            try (Drover drover = Drover.open(url.strip())) {
                return run(drover.admin());
            }
        }

        abstract int run(DroverAdmin admin);

        void printJson(Object node) {
            out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        }

        int notFound(String what) {
            if (root.json) {
                ObjectNode n = JSON.createObjectNode();
                n.put("error", what);
                printJson(n);
            }
            err().println("drover: " + what);
            return NOT_DONE;
        }

        int done(String message, String field, Object value) {
            if (root.json) {
                ObjectNode n = JSON.createObjectNode();
                n.put("ok", true);
                n.putPOJO(field, value);
                printJson(n);
            } else {
                out().println(message);
            }
            return OK;
        }
    }

    /** A command that acts on one task of one queue: {@code ID --queue QUEUE}. */
    abstract static class OneTask extends Base {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--queue", required = true)
        String queue;
    }

    static TaskId taskId(String id) {
        return TaskId.of(id);
    }

    static String firstLine(String text) {
        if (text == null) return "";
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }

    /** Parses 30s, 15m, 12h, 7d, or an ISO-8601 duration (PT1H). */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration: use 30s, 15m, 12h, 7d or ISO-8601 such as PT1H");
        }
    }

    @Command(name = "queues", description = "List the queues with their tasks by state.")
    static final class Queues extends Base {
        @Override
        int run(DroverAdmin admin) {
            List<QueueSummary> queues = admin.queues();
            if (root.json) {
                ArrayNode a = JSON.createArrayNode();
                queues.forEach(q -> a.add(AdminJson.queue(q)));
                printJson(a);
                return OK;
            }
            out().printf("%-30s %9s %9s %9s %9s %9s  %s%n", "QUEUE", "PENDING", "RUNNING", "DONE", "DEAD", "CANCELLED", "");
            for (QueueSummary q : queues) {
                out().printf("%-30s %9d %9d %9d %9d %9d  %s%n", q.name(), q.count(TaskState.PENDING), q.count(TaskState.RUNNING),
                        q.count(TaskState.DONE), q.count(TaskState.DEAD), q.count(TaskState.CANCELLED), q.paused() ? "paused" : "");
            }
            return OK;
        }
    }

    @Command(name = "stats", description = "Counts and throughput (done/dead per minute, last 10 minutes) of one queue or all.")
    static final class Stats extends Base {
        @Parameters(arity = "0..1", paramLabel = "QUEUE")
        String queue;
        @Option(names = "--watch", arity = "0..1", fallbackValue = "2", paramLabel = "SECONDS", description = "print again every SECONDS (default 2) until interrupted")
        Integer watch;

        @Override
        int run(DroverAdmin admin) {
            while (true) {
                List<QueueSummary> queues = queue == null ? admin.queues() : List.of(admin.queue(queue));
                if (root.json) {
                    ArrayNode a = JSON.createArrayNode();
                    for (QueueSummary q : queues) {
                        ObjectNode n = AdminJson.queue(q);
                        n.set("throughput", AdminJson.throughput(admin.throughput(q.name().value(), 10)));
                        a.add(n);
                    }
                    printJson(a);
                } else {
                    for (QueueSummary q : queues) {
                        List<FinishedMinute> minutes = admin.throughput(q.name().value(), 10);
                        long done = minutes.stream().mapToLong(FinishedMinute::done).sum();
                        long dead = minutes.stream().mapToLong(FinishedMinute::dead).sum();
                        out().printf("%s%s: %d pending, %d running, %d done, %d dead, %d cancelled; last 10 min: %d done, %d dead%n",
                                q.name(), q.paused() ? " (paused)" : "", q.count(TaskState.PENDING), q.count(TaskState.RUNNING),
                                q.count(TaskState.DONE), q.count(TaskState.DEAD), q.count(TaskState.CANCELLED), done, dead);
                    }
                }
                out().flush();
                if (watch == null) return OK;
                try {
                    Thread.sleep(Duration.ofSeconds(Math.max(1, watch))); // the refresh cadence the user asked for
                } catch (InterruptedException e) {
                    return OK;
                }
            }
        }
    }

    @Command(name = "list", description = "List a queue's tasks, a page at a time, in id order.")
    static final class ListTasks extends Base {
        @Parameters(paramLabel = "QUEUE")
        String queue;
        @Option(names = "--state", description = "pending, running, done, dead or cancelled")
        String state;
        @Option(names = "--limit", defaultValue = "50")
        int limit;
        @Option(names = "--after", description = "the page after this task id")
        String after;
        @Option(names = "--before", description = "the page before this task id")
        String before;

        @Override
        int run(DroverAdmin admin) {
            TaskState only = null;
            if (state != null) {
                try {
                    only = TaskState.valueOf(state.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown state \"" + state + "\": use pending, running, done, dead or cancelled");
                }
            }
            TaskPage page = admin.tasks(queue, only, after == null ? null : taskId(after), before == null ? null : taskId(before), limit);
            if (root.json) {
                printJson(AdminJson.page(page));
                return OK;
            }
            out().printf("%-38s %-9s %7s %-24s %s%n", "ID", "STATE", "ATTEMPT", "RUN AT", "LAST ERROR");
            for (TaskRecord t : page.tasks()) {
                out().printf("%-38s %-9s %3d/%-3d %-24s %s%n", t.id(), t.state(), t.attempt(), t.maxAttempts(), t.runAt(), firstLine(t.lastError()));
            }
            if (page.previousBefore() != null) out().println("previous page: --before " + page.previousBefore());
            if (page.nextAfter() != null) out().println("next page:     --after " + page.nextAfter());
            return OK;
        }
    }

    @Command(name = "show", description = "Show one task: state, payload, metadata, attempts and errors.")
    static final class Show extends Base {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--queue", description = "its queue (default: look in every queue)")
        String queue;

        @Override
        int run(DroverAdmin admin) {
            TaskId task = taskId(id);
            Optional<TaskRecord> found = queue == null ? admin.find(task) : admin.get(queue, task);
            if (found.isEmpty()) return notFound("no task " + id + (queue == null ? " in any queue" : " in queue " + queue));
            ObjectNode n = AdminJson.task(found.get(), true);
            if (root.json) {
                printJson(n);
                return OK;
            }
            for (Map.Entry<String, tools.jackson.databind.JsonNode> e : n.properties()) {
                if (e.getKey().equals("attempts") || e.getKey().equals("metadata")) continue;
                out().printf("%-15s %s%n", e.getKey() + ":", e.getValue().isString() ? e.getValue().asString() : e.getValue().toString());
            }
            out().printf("%-15s %s%n", "metadata:", n.get("metadata"));
            for (AttemptError a : found.get().attempts()) {
                out().printf("  attempt %d at %s on %s: %s%n", a.attempt(), a.at(), a.worker(), firstLine(a.error()));
            }
            return OK;
        }
    }

    @Command(name = "requeue", description = "Requeue a dead or cancelled task, or every dead task of a queue.")
    static final class Requeue extends Base {
        @Parameters(arity = "0..1", paramLabel = "ID")
        String id;
        @Option(names = "--queue")
        String queue;
        @Option(names = "--all-dead", paramLabel = "QUEUE", description = "requeue every dead task of QUEUE")
        String allDead;

        @Override
        int run(DroverAdmin admin) {
            if (allDead != null) {
                int n = admin.requeueAllDead(allDead);
                return done("requeued " + n + " dead task(s) of " + allDead, "requeued", n);
            }
            if (id == null || queue == null) throw new IllegalArgumentException("requeue needs ID and --queue QUEUE, or --all-dead QUEUE");
            if (!admin.requeue(queue, taskId(id))) return notFound("task " + id + " of queue " + queue + " is not dead or cancelled (or not there)");
            return done("requeued " + id, "requeued", id);
        }
    }

    @Command(name = "cancel", description = "Cancel a pending or running task.")
    static final class Cancel extends OneTask {

        @Override
        int run(DroverAdmin admin) {
            CancelResult result = admin.cancel(queue, taskId(id));
            return switch (result) {
                case CancelResult.Cancelled c -> done("cancelled " + id + (c.wasRunning() ? " (it was running)" : ""), "cancelled", id);
                case CancelResult.AlreadyFinished f -> notFound("task " + id + " had already finished: " + f.state());
                case CancelResult.Unknown u -> notFound("no task " + id + " in queue " + queue);
            };
        }
    }

    @Command(name = "retry", description = "Run a task now: a pending one due at once, a dead or cancelled one requeued.")
    static final class Retry extends OneTask {

        @Override
        int run(DroverAdmin admin) {
            if (!admin.retryNow(queue, taskId(id))) return notFound("task " + id + " of queue " + queue + " is running, done or not there");
            return done("task " + id + " is due now", "retried", id);
        }
    }

    @Command(name = "delete", description = "Delete a finished (done, dead or cancelled) task.")
    static final class Delete extends OneTask {

        @Override
        int run(DroverAdmin admin) {
            if (!admin.delete(queue, taskId(id))) return notFound("task " + id + " of queue " + queue + " is not finished (or not there)");
            return done("deleted " + id, "deleted", id);
        }
    }

    @Command(name = "purge", description = "Delete a queue's finished tasks of one state, older than an age.")
    static final class Purge extends Base {
        @Parameters(paramLabel = "QUEUE")
        String queue;
        @Option(names = "--state", required = true, description = "done, dead or cancelled")
        String state;
        @Option(names = "--older-than", defaultValue = "0s", description = "e.g. 7d, 12h (default: all)")
        String olderThan;

        @Override
        int run(DroverAdmin admin) {
            TaskState s;
            try {
                s = TaskState.valueOf(state.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown state \"" + state + "\": use done, dead or cancelled");
            }
            int n = admin.purge(queue, s, duration(olderThan));
            return done("deleted " + n + " " + s.name().toLowerCase(Locale.ROOT) + " task(s) of " + queue, "deleted", n);
        }
    }

    @Command(name = "pause", description = "Pause a queue: workers of every process stop claiming it.")
    static final class Pause extends Base {
        @Parameters(paramLabel = "QUEUE")
        String queue;

        @Override
        int run(DroverAdmin admin) {
            admin.pause(queue);
            return done("paused " + queue, "paused", queue);
        }
    }

    @Command(name = "resume", description = "Resume a paused queue.")
    static final class Resume extends Base {
        @Parameters(paramLabel = "QUEUE")
        String queue;

        @Override
        int run(DroverAdmin admin) {
            admin.resume(queue);
            return done("resumed " + queue, "resumed", queue);
        }
    }

    @Command(name = "push", description = "Push a task with a JSON payload.")
    static final class Push extends Base {
        @Parameters(paramLabel = "QUEUE")
        String queue;
        @Option(names = {"--payload", "--json-payload"}, required = true, paramLabel = "JSON", description = "the payload, e.g. '{\"to\": \"ada@example.com\"}'")
        String payload;
        @Option(names = "--priority", defaultValue = "0")
        int priority;
        @Option(names = "--delay", description = "run after this long, e.g. 10s")
        String delay;

        @Override
        int run(DroverAdmin admin) {
            TaskOptions options = TaskOptions.defaults().priority(priority);
            if (delay != null) options = options.runAfter(duration(delay));
            TaskId id = admin.push(queue, payload, options);
            return done(id.value(), "id", id.value());
        }
    }

    @Command(name = "dashboard", description = "Serve the web dashboard of the storage until stopped (http://127.0.0.1:8090/ by default). "
            + "A credential comes only from the environment: DROVER_DASHBOARD_TOKEN, or DROVER_DASHBOARD_USER and DROVER_DASHBOARD_PASSWORD.")
    static final class Dashboard implements Callable<Integer> {
        @CommandLine.ParentCommand
        DroverCli root;
        @Option(names = "--port", defaultValue = "8090", description = "the port (default 8090; 0 for a free one)")
        int port;
        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "the address (default 127.0.0.1); any other needs a credential")
        String bind;
        @Option(names = "--read-only", description = "show everything, change nothing")
        boolean readOnly;

        @Override
        public Integer call() {
            List<String> args = new java.util.ArrayList<>(List.of("--port", String.valueOf(port), "--bind", bind));
            if (root.url != null) args.addAll(List.of("--url", root.url));
            if (readOnly) args.add("--read-only");
            return dev.drover.dashboard.DashboardMain.run(args.toArray(String[]::new), System.out, System.err);
        }
    }
}
