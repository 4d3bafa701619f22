package dev.drover.dashboard;

import com.sun.net.httpserver.HttpServer;
import dev.drover.api.Drover;
import dev.drover.dashboard.internal.Access;
import dev.drover.dashboard.internal.DashboardHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Drover dashboard, running: a web UI over a Drover's queues and tasks (overview with throughput, a queue's tasks
 * by state, a task's payload, attempts and lease, workflow runs) with actions (requeue, retry now, cancel, delete,
 * requeue all dead, pause, resume), and the JSON admin API the page itself uses, under {@code /api}.
 *
 * <pre>{@code
 * DroverDashboard dashboard = DroverDashboard.start(drover, 8090);   // http://127.0.0.1:8090/
 * }</pre>
 *
 * <p>Safety: it listens on 127.0.0.1 unless told otherwise, and refuses to listen anywhere else without a credential
 * (a token, or a user and password for basic auth); every action is a POST that needs the page's CSRF token and a
 * same-origin request; {@link Builder#readOnly(boolean) read-only} mode shows no action and refuses every POST; what it
 * shows is HTML-escaped, under a Content-Security-Policy that allows only its own script and style. It shows the
 * backend as {@link dev.drover.api.admin.DroverAdmin#describe()} describes it: never a password or token of the URL.
 *
 * <p>It runs on the JDK's own HTTP server ({@code jdk.httpserver}) with a virtual thread per request: nothing to add
 * to an application's class path, and no web framework whose version could clash with the application's own.
 * Closing it stops the server; the Drover stays open.
 */
public final class DroverDashboard implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final URI url;

    private DroverDashboard(HttpServer server, ExecutorService executor, URI url) {
        this.server = server;
        this.executor = executor;
        this.url = url;
    }

    /** Starts a dashboard of {@code drover} on 127.0.0.1:{@code port} (0: a free port), with actions, no credential. */
    public static DroverDashboard start(Drover drover, int port) {
        return builder(drover).port(port).start();
    }

    /** A dashboard of {@code drover} to configure: bind address, port, credential, read-only. */
    public static Builder builder(Drover drover) {
        return new Builder(drover);
    }

    /** Where it listens, such as {@code http://127.0.0.1:8090/}. */
    public URI url() {
        return url;
    }

    /** The port it listens on (the one chosen when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops the server, letting requests in progress finish for up to a second. The Drover is not closed. */
    @Override
    public void close() {
        server.stop(1);
        executor.close();
    }

    /** How the dashboard listens and whom it lets in. */
    public static final class Builder {
        private final Drover drover;
        private String bind = "127.0.0.1";
        private int port = 8090;
        private String token;
        private String user;
        private String password;
        private boolean readOnly;
        private int payloadLimit = 64 * 1024;

        private Builder(Drover drover) {
            this.drover = Objects.requireNonNull(drover, "drover");
        }

        /**
         * The address to listen on (default 127.0.0.1). Any address that is not loopback, such as 0.0.0.0, needs a
         * {@link #token} or {@link #basicAuth}: {@link #start()} refuses without one.
         */
        public Builder bind(String address) {
            this.bind = Objects.requireNonNull(address, "address").strip();
            return this;
        }

        /** The port (default 8090; 0 for a free one). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("dashboard port must be 0 to 65535 (got " + port + ")");
            this.port = port;
            return this;
        }

        /**
         * Requires this token: as {@code Authorization: Bearer TOKEN} from scripts, or typed once into the login page
         * by a person (who then holds a session cookie). At least 16 characters.
         */
        public Builder token(String token) {
            Objects.requireNonNull(token, "token");
            if (token.strip().length() < 16) {
                throw new IllegalArgumentException("the dashboard token is too short: use at least 16 characters, e.g. openssl rand -hex 24");
            }
            this.token = token.strip();
            return this;
        }

        /** Requires HTTP basic auth with this user and password (the browser asks for them). */
        public Builder basicAuth(String user, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.isBlank() || user.contains(":")) throw new IllegalArgumentException("the dashboard user must not be blank or contain ':'");
            if (password.length() < 8) throw new IllegalArgumentException("the dashboard password is too short: use at least 8 characters");
            this.user = user;
            this.password = password;
            return this;
        }

        /** Shows everything, offers no action, and refuses every POST. */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /** How many bytes of a payload or result the task page shows (default 64 KiB); the JSON API gives all of it. */
        public Builder payloadLimit(int bytes) {
            if (bytes < 256) throw new IllegalArgumentException("payload limit must be at least 256 bytes (got " + bytes + ")");
            this.payloadLimit = bytes;
            return this;
        }

        /**
         * Starts listening.
         *
         * @throws IllegalStateException when the address is not loopback and no credential was given
         * @throws UncheckedIOException  when the address cannot be bound (say, the port is taken)
         */
        public DroverDashboard start() {
            InetAddress address;
            try {
                address = InetAddress.getByName(bind);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("the dashboard cannot bind to \"" + bind + "\": not an address of this machine");
            }
            Access access = Access.of(token, user, password, address.isLoopbackAddress());
            if (!address.isLoopbackAddress() && !access.hasCredential()) {
                throw new IllegalStateException("the dashboard refuses to listen on " + bind + " without a credential: that address is reachable "
                        + "from other machines. Give it a token (builder.token(...), or DROVER_DASHBOARD_TOKEN for the standalone jar) or "
                        + "basic auth, or bind to 127.0.0.1");
            }
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(address, port), 64);
            } catch (IOException e) {
                throw new UncheckedIOException("the dashboard cannot listen on " + bind + ":" + port + " (" + e.getMessage()
                        + "): choose another port, or 0 for a free one", e);
            }
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            server.createContext("/", new DashboardHandler(drover.admin(), access, readOnly, payloadLimit));
            server.start();
            String host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
            return new DroverDashboard(server, executor, URI.create("http://" + host + ":" + server.getAddress().getPort() + "/"));
        }
    }
}
