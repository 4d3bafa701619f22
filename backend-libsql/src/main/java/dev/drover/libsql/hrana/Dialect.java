package dev.drover.libsql.hrana;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

/** Which Hrana server is on the other end; decides which optional requests may be sent. */
public enum Dialect {
    /**
     * libsql-server ("sqld") or Turso Cloud: answers {@code GET /v2} or {@code /v3}; streams are real and are closed
     * with a {@code close} request at the end of every pipeline, so none waits for its idle expiry.
     */
    LIBSQL_SERVER(true),
    /**
     * {@code tursodb --sync-server}: only {@code POST /v2/pipeline} with {@code execute} and {@code batch} (any other
     * request type fails the whole pipeline), one shared connection, no batons, no affected-row counts.
     */
    TURSODB(false);

    private final boolean closesStreams;

    Dialect(boolean closesStreams) {
        this.closesStreams = closesStreams;
    }

    boolean closesStreams() {
        return closesStreams;
    }

    /** libsql-server answers the version probes {@code GET /v3} and {@code GET /v2} with 2xx; tursodb answers 404. */
    static Dialect detect(HttpClient http, URI base, Duration timeout, Consumer<HttpRequest.Builder> authorize) {
        for (String path : new String[]{"v3", "v2"}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET();
            authorize.accept(b);
            try {
                HttpResponse<Void> r = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) return LIBSQL_SERVER;
            } catch (IOException e) {
                return TURSODB; // the pipeline request that follows reports an unreachable server properly
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return TURSODB;
            }
        }
        return TURSODB;
    }
}
