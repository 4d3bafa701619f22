package dev.drover.benchmarks;

import dev.drover.benchmarks.peers.Peers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The targets a command line names, built in its order. */
public final class Targets {
    /** Drover's own targets, in the order {@code --targets all} runs them (the peers follow). */
    public static final List<String> DROVER_IDS = List.of("sqlite", "libsql-remote", "libsql-replica", "pgmq-plain", "pgmq-extension");
    /** The id of the {@code --url} target. */
    public static final String URL_ID = "url";

    private Targets() {
    }

    public static List<Target> of(Options options) {
        PgUrl pg = PgUrl.parse(options.pg() == null ? Options.DEFAULT_PG : options.pg());
        List<Target> targets = new ArrayList<>();
        for (String id : options.targetIds()) {
            Target target = of(id, options, pg);
            if (!(target instanceof DroverTarget drover)) {
                targets.add(target);
                continue;
            }
            for (Instrumentations variant : options.instrument()) {
                targets.add(variant.equals(Instrumentations.NONE) ? drover : new InstrumentedTarget(drover, variant));
            }
        }
        return targets;
    }

    private static Target of(String id, Options options, PgUrl pg) {
        return switch (id) {
            case "sqlite" -> new SqliteTarget(id, "");
            case "libsql-remote" -> new LibsqlTarget(id, false);
            case "libsql-replica" -> new LibsqlTarget(id, true);
            case "pgmq-plain" -> new PgmqTarget(id, pg, false);
            case "pgmq-extension" -> new PgmqTarget(id, pg, true);
            case URL_ID -> url(options.url());
            default -> new PeerTarget(Peers.byId(id), pg);
        };
    }

    /** A bare {@code sqlite:} (or {@code sqlite:?params}) means a fresh temporary file per run, as the sqlite target. */
    static Target url(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.equals("sqlite:") || lower.startsWith("sqlite:?")) return new SqliteTarget(URL_ID, url.substring("sqlite:".length()));
        return new UrlTarget(URL_ID, url);
    }
}
