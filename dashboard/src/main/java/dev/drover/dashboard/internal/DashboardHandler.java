package dev.drover.dashboard.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.drover.api.InvalidTaskException;
import dev.drover.api.StorageException;
import dev.drover.api.TaskId;
import dev.drover.api.TaskRecord;
import dev.drover.api.TaskState;
import dev.drover.api.admin.DroverAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static dev.drover.dashboard.internal.Html.seg;

/**
 * Every request of the dashboard: who may come in, which POSTs are the page's own, then the pages, the actions and
 * the JSON API. Bad input is a 400 naming what was wrong, a storage failure a 503; nothing else is shown of an error.
 */
public final class DashboardHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardHandler.class);

    private final DroverAdmin admin;
    private final Access access;
    private final Layout layout;
    private final JsonApi api;
    private final int payloadLimit;

    public DashboardHandler(DroverAdmin admin, Access access, boolean readOnly, int payloadLimit) {
        this.admin = admin;
        this.access = access;
        this.layout = new Layout(admin.describe(), access.csrf(), readOnly);
        this.api = new JsonApi(admin, access, readOnly);
        this.payloadLimit = payloadLimit;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Request r = new Request(exchange);
        List<String> p = r.path();
        boolean isApi = !p.isEmpty() && p.getFirst().equals("api");
        try {
            if (!access.hostAllowed(r)) {
                refuse(r, isApi, 421, "Wrong host", "this dashboard answers only to 127.0.0.1, localhost or [::1]");
                return;
            }
            String method = r.method();
            if (!method.equals("GET") && !method.equals("HEAD") && !method.equals("POST")) {
                r.header("Allow", "GET, HEAD, POST");
                refuse(r, isApi, 405, "Method not allowed", method + " is not used here");
                return;
            }
            if (p.size() == 2 && p.getFirst().equals("assets")) {
                asset(r, p.get(1));
                return;
            }
            if (p.equals(List.of("login")) && access.usesToken()) {
                login(r);
                return;
            }
            if (!access.admits(r)) {
                if (access.usesBasicAuth()) {
                    r.header("WWW-Authenticate", "Basic realm=\"Drover\", charset=\"UTF-8\"");
                    refuse(r, isApi, 401, "Sign in", "this dashboard needs its user and password");
                } else if (isApi) {
                    JsonApi.error(r, 401, "this dashboard needs its token: send Authorization: Bearer TOKEN");
                } else {
                    r.redirect("/login");
                }
                return;
            }
            if (method.equals("POST")) {
                if (layout.readOnly()) {
                    refuse(r, isApi, 403, "Read-only", "this dashboard is read-only: it changes nothing");
                    return;
                }
                if (!access.sameOrigin(r)) {
                    refuse(r, isApi, 403, "Refused", "a request from another site cannot change anything here");
                    return;
                }
                String csrf = r.header("X-Drover-Csrf");
                if (csrf == null && !isApi) csrf = r.form("csrf");
                if (!access.csrfMatches(csrf)) {
                    refuse(r, isApi, 403, "Refused", "the request carries no valid CSRF token: reload the page and try again"
                            + (isApi ? " (scripts: read csrf from GET /api/session and send it as X-Drover-Csrf)" : ""));
                    return;
                }
            }
            if (isApi) api.handle(r);
            else page(r, p);
        } catch (Request.TooLarge e) {
            refuse(r, isApi, 413, "Too large", e.getMessage());
        } catch (InvalidTaskException | IllegalArgumentException e) {
            refuse(r, isApi, 400, "Bad request", e.getMessage());
        } catch (StorageException e) {
            LOG.warn("dashboard: storage failed for {} {}: {}", r.method(), exchange.getRequestURI().getRawPath(), e.getMessage());
            refuse(r, isApi, 503, "Storage unavailable", "the storage did not answer: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("dashboard: {} {} failed", r.method(), exchange.getRequestURI().getRawPath(), e);
            refuse(r, isApi, 500, "Something went wrong", "the dashboard failed on this request; its log says why");
        }
    }

    private void page(Request r, List<String> p) throws IOException {
        boolean post = r.method().equals("POST");
        String flash = flash(r);
        if (!post && p.isEmpty()) {
            r.html(200, OverviewPage.render(admin, layout, flash));
        } else if (!post && p.size() == 2 && p.get(0).equals("queues")) {
            String after = r.query("after");
            String before = r.query("before");
            r.html(200, QueuePage.render(admin, layout, p.get(1), state(r.query("state")), after == null ? null : TaskId.of(after),
                    before == null ? null : TaskId.of(before), flash));
        } else if (!post && p.size() == 4 && p.get(0).equals("queues") && p.get(2).equals("tasks")) {
            Optional<TaskRecord> task = admin.get(p.get(1), TaskId.of(p.get(3)));
            if (task.isEmpty()) notFound(r, "No task " + p.get(3) + " in queue " + p.get(1) + ": it may have been deleted.");
            else r.html(200, TaskView.render(task.get(), layout, payloadLimit, flash));
        } else if (!post && p.equals(List.of("find"))) {
            String id = r.query("id");
            if (id == null) {
                r.redirect("/");
                return;
            }
            Optional<TaskRecord> task = admin.find(TaskId.of(id.strip()));
            if (task.isEmpty()) notFound(r, "No task " + id.strip() + " in any queue.");
            else r.redirect("/queues/" + seg(task.get().queue()) + "/tasks/" + seg(task.get().id()));
        } else if (!post && p.equals(List.of("runs"))) {
            r.html(200, RunsPage.list(WorkflowRuns.recent(admin), layout));
        } else if (!post && p.size() == 3 && p.get(0).equals("runs")) {
            Optional<WorkflowRuns.Run> run = WorkflowRuns.one(admin, p.get(1), p.get(2));
            if (run.isEmpty()) notFound(r, "No workflow run " + p.get(2) + " in queue " + p.get(1) + ".");
            else r.html(200, RunsPage.one(run.get(), layout));
        } else if (post && p.size() == 5 && p.get(0).equals("queues") && p.get(2).equals("tasks") && TaskAction.of(p.get(4)).isPresent()) {
            TaskAction action = TaskAction.of(p.get(4)).get();
            String back = "/queues/" + seg(p.get(1)) + "/tasks/" + seg(p.get(3));
            if (!"yes".equals(r.form("confirmed"))) {
                r.html(200, SimplePages.confirm(layout, back + "/" + action.path, action.question, action.label, back));
                return;
            }
            TaskId id = TaskId.of(p.get(3));
            boolean done = action.apply(admin, p.get(1), id);
            if (!done && admin.get(p.get(1), id).isEmpty()) {
                notFound(r, "No task " + id + " in queue " + p.get(1) + ".");
                return;
            }
            r.redirect((action == TaskAction.DELETE && done ? "/queues/" + seg(p.get(1)) : back) + "?" + (done ? "did=" : "skipped=") + action.path);
        } else if (post && p.size() == 3 && p.get(0).equals("queues") && QueueAction.of(p.get(2)).isPresent()) {
            QueueAction action = QueueAction.of(p.get(2)).get();
            String back = "/queues/" + seg(p.get(1));
            if (!"yes".equals(r.form("confirmed"))) {
                r.html(200, SimplePages.confirm(layout, back + "/" + action.path, action.question, action.label, back));
                return;
            }
            r.redirect(back + "?did=" + action.path + "&n=" + action.apply(admin, p.get(1)));
        } else {
            notFound(r, "There is no page at /" + String.join("/", p) + ".");
        }
    }

    /**
     * The sentence after an action, from the redirect's {@code did} (or {@code skipped}) and {@code n}: names of
     * actions, never text of the URL, so a link cannot make the page say something of its own.
     */
    private static String flash(Request r) {
        String did = r.query("did");
        String skipped = r.query("skipped");
        if (skipped != null) return TaskAction.of(skipped).map(TaskAction::skipped).orElse(null);
        if (did == null) return null;
        Optional<TaskAction> task = TaskAction.of(did);
        if (task.isPresent()) return task.get().done;
        int n;
        try {
            n = Integer.parseInt(String.valueOf(r.query("n")));
        } catch (NumberFormatException e) {
            n = 0;
        }
        int count = n;
        return QueueAction.of(did).map(a -> a.done(count)).orElse(null);
    }

    /** A state given in a query, or null for all; any case. */
    static TaskState state(String text) {
        if (text == null || text.equalsIgnoreCase("all")) return null;
        try {
            return TaskState.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown state \"" + text + "\": use pending, running, done, dead or cancelled");
        }
    }

    private void login(Request r) throws IOException {
        if (r.method().equals("POST")) {
            if (!access.sameOrigin(r)) {
                r.html(403, SimplePages.login(true));
                return;
            }
            String session = access.login(r.form("token"));
            if (session == null) {
                r.html(401, SimplePages.login(true));
                return;
            }
            r.header("Set-Cookie", Access.SESSION_COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict");
            r.redirect("/");
        } else {
            r.html(200, SimplePages.login(false));
        }
    }

    private void notFound(Request r, String message) throws IOException {
        r.html(404, SimplePages.error(layout, 404, "Not found", message));
    }

    private void refuse(Request r, boolean isApi, int status, String title, String message) throws IOException {
        if (isApi) JsonApi.error(r, status, message);
        else r.html(status, SimplePages.error(layout, status, title, message));
    }

    private static void asset(Request r, String name) throws IOException {
        String type = name.endsWith(".css") ? "text/css; charset=utf-8" : name.endsWith(".js") ? "text/javascript; charset=utf-8" : null;
        if (type == null || !name.matches("[a-z]+\\.(css|js)")) {
            r.html(404, "not found");
            return;
        }
        try (InputStream in = DashboardHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                r.html(404, "not found");
                return;
            }
            r.header("Cache-Control", "max-age=300");
            r.send(200, type, in.readAllBytes());
        }
    }
}
