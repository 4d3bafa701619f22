package dev.drover.dashboard;

import dev.drover.api.Drover;
import dev.drover.api.DroverException;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone dashboard: {@code java -jar drover-dashboard-VERSION-all.jar --url sqlite:jobs.db [--port 8090]
 * [--bind 127.0.0.1] [--read-only]}. The storage comes from {@code --url} or {@code DROVER_URL}; a credential only from
 * the environment, never the command line (which other users of the machine can read): {@code DROVER_DASHBOARD_TOKEN},
 * or {@code DROVER_DASHBOARD_USER} and {@code DROVER_DASHBOARD_PASSWORD}. Runs until stopped (Ctrl-C, SIGTERM).
 */
public final class DashboardMain {
    private static final String USAGE = """
            usage: java -jar drover-dashboard.jar [--url URL] [--port PORT] [--bind ADDRESS] [--read-only]
              --url URL        the storage, e.g. sqlite:jobs.db or pgmq://user@host:5432/db (default: DROVER_URL)
              --port PORT      the port to listen on (default 8090; 0 for a free one)
              --bind ADDRESS   the address to listen on (default 127.0.0.1); any other needs a credential:
                               DROVER_DASHBOARD_TOKEN, or DROVER_DASHBOARD_USER and DROVER_DASHBOARD_PASSWORD
              --read-only      show everything, change nothing""";

    private DashboardMain() {
    }

    /**
     * Runs the dashboard until stopped.
     *
     * @param args the command line: {@code --url}, {@code --port}, {@code --bind}, {@code --read-only}
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) System.exit(status);
    }

    /**
     * Runs the dashboard as {@link #main} does, until the JVM is asked to stop (or returns at once after bad input);
     * returns the exit code: 0 stopped, 2 bad usage or refused to start, 3 the storage could not be opened.
     *
     * @param args the command line
     * @param out  where the address is printed
     * @param err  where problems are printed
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String url = System.getenv("DROVER_URL");
        int port = 8090;
        String bind = "127.0.0.1";
        boolean readOnly = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--url" -> url = value(args, ++i, "--url");
                    case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                    case "--bind" -> bind = value(args, ++i, "--bind");
                    case "--read-only" -> readOnly = true;
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("drover-dashboard: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        if (url == null || url.isBlank()) {
            err.println("drover-dashboard: no storage given: pass --url (e.g. --url sqlite:jobs.db) or set DROVER_URL\n" + USAGE);
            return 2;
        }
        Drover drover;
        try {
            drover = Drover.open(url.strip());
        } catch (DroverException e) {
            err.println("drover-dashboard: " + e.getMessage());
            return 3;
        }
        DroverDashboard dashboard;
        try {
            DroverDashboard.Builder builder = DroverDashboard.builder(drover).port(port).bind(bind).readOnly(readOnly);
            String token = System.getenv("DROVER_DASHBOARD_TOKEN");
            String user = System.getenv("DROVER_DASHBOARD_USER");
            if (token != null && !token.isBlank()) builder.token(token);
            if (user != null && !user.isBlank()) builder.basicAuth(user, String.valueOf(System.getenv("DROVER_DASHBOARD_PASSWORD")));
            dashboard = builder.start();
        } catch (RuntimeException e) {
            drover.close();
            err.println("drover-dashboard: " + e.getMessage());
            return 2;
        }
        out.println("Drover dashboard of " + drover.admin().describe() + " at " + dashboard.url() + (readOnly ? " (read-only)" : ""));
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dashboard.close();
            drover.close();
            stopped.countDown();
        }, "drover-dashboard-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }
}
