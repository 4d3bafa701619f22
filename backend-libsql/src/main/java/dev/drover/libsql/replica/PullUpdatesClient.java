package dev.drover.libsql.replica;

import dev.drover.api.ConfigurationException;
import dev.drover.api.StorageException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The client side of the Turso Sync page pull ({@code POST <base>/pull-updates}, protobuf): asks for the newest
 * version of every page changed since a revision, and checks the answer before handing over a single page.
 * Understands raw 4096-byte pages only; refuses compressed (zstd) and MVCC logical-log answers, which it cannot apply.
 * <p>
 * The token travels only in the {@code Authorization} header: never in a log line, an exception message or
 * {@link #toString()}. Redirects are not followed, so the token never goes to another host.
 */
final class PullUpdatesClient implements AutoCloseable {
    static final int PAGE_SIZE = 4096;
    private static final int MAX_MESSAGE_BYTES = 1 << 20;
    private static final int MAX_ERROR_BODY_CHARS = 300;

    // request fields (PullUpdatesReqProtoBody)
    private static final int REQ_ENCODING = 1; // enum: 0 raw, 1 zstd
    private static final int REQ_SERVER_REVISION = 2;
    private static final int REQ_CLIENT_REVISION = 3;
    // response header fields (PullUpdatesRespProtoBody)
    private static final int HDR_SERVER_REVISION = 1;
    private static final int HDR_DB_SIZE = 2;
    private static final int HDR_RAW_ENCODING = 3;
    private static final int HDR_ZSTD_ENCODING = 4;
    private static final int HDR_STREAM_KIND = 5; // 0 pages, 1 MVCC logical log
    private static final int HDR_APPLY_MODE = 6; // 0 incremental, 1 replace base
    private static final int HDR_MVCC_LOG = 7;
    private static final int HDR_PROTOCOL = 8; // newer servers: 0 unspecified, 1 pages, 2 MVCC logical
    // page message fields (PageData)
    private static final int PAGE_ID = 1;
    private static final int PAGE_BYTES = 2;

    /** What a response's header says: the revision the pages bring the client to, and the database size then. */
    record Header(String serverRevision, long dbSizePages) {
    }

    /** Receives each page of a response, already checked, in the order the server sends them. */
    @FunctionalInterface
    interface PageSink {
        /** @param pageId 0-based (page 1 of the SQLite file is id 0) */
        void page(long pageId, byte[] page);
    }

    private final URI endpoint;
    private final String server;
    private final String token;
    private final HttpClient http;
    private final Duration requestTimeout;

    /**
     * @param baseUrl {@code http(s)://host[:port][/path]} of the sync server; no credentials or query in it
     * @param token the bearer token, or null for none
     */
    PullUpdatesClient(String baseUrl, String token, Duration connectTimeout, Duration requestTimeout) {
        URI base = checkBaseUrl(baseUrl);
        this.server = base.toString();
        this.endpoint = URI.create(server + "/pull-updates");
        this.token = checkToken(token);
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The base URL as the replica records and names it: scheme, host, port and path, without a trailing slash.
     * Refuses a URL that carries user info, a query or a fragment (where credentials could hide), without
     * repeating it in the message.
     */
    static URI checkBaseUrl(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri;
        try {
            uri = new URI(baseUrl.strip());
        } catch (URISyntaxException e) {
            throw new ConfigurationException("the replica's remote URL is not a valid URL (" + e.getReason()
                    + "): give the sync server as http(s)://host:port");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigurationException("the replica's remote URL must start with http:// or https://, not "
                    + (scheme.isEmpty() ? "nothing" : scheme + "://") + ": give the sync server as http(s)://host:port");
        }
        if (uri.getHost() == null) {
            throw new ConfigurationException("the replica's remote URL has no host: give the sync server as " + scheme + "://host:port");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigurationException("the replica's remote URL for " + scheme + "://" + uri.getHost()
                    + " must not carry user info, a query or a fragment: pass the token separately");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    private static String checkToken(String token) {
        if (token == null) return null;
        if (token.isBlank()) throw new ConfigurationException("the replica's token is blank: pass a token, or none");
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new ConfigurationException("the replica's token contains a space, control or non-ASCII character at position "
                        + (i + 1) + ": pass the token exactly as issued");
            }
        }
        return token;
    }

    /** The sync server, as named in messages: {@code http://host:port}. */
    String server() {
        return server;
    }

    /** Encodes a request: raw pages, the newest server revision, changes since {@code clientRevision} ("" = everything). */
    static byte[] encodeRequest(String clientRevision) {
        return new Protobuf.Writer()
                .varintIfNonZero(REQ_ENCODING, 0) // raw; 0 is proto3's default, so it is not written
                .stringIfNotEmpty(REQ_SERVER_REVISION, "") // empty: the server's newest revision
                .stringIfNotEmpty(REQ_CLIENT_REVISION, clientRevision)
                .toByteArray();
    }

    /**
     * Pulls the newest version of every page changed since {@code clientRevision} ("" for all pages: a bootstrap) and
     * hands each to {@code sink} once it is checked (4096 bytes, id below the database size).
     *
     * @return the header: the revision these pages bring the client to, and the database size in pages
     * @throws StorageException transient for an unreachable server, a cut connection, HTTP 429 or 5xx; not transient
     *         for refused authentication, other HTTP errors and answers this client cannot apply
     */
    Header pull(String clientRevision, PageSink sink) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("content-type", "application/protobuf")
                .header("accept", "application/protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(encodeRequest(clientRevision)));
        if (token != null) request.header("authorization", "Bearer " + token);
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new StorageException("cannot pull updates from the sync server " + server + ": " + describe(e)
                    + "; the replica keeps its last synced state, try again when the server is reachable", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while pulling updates from the sync server " + server, true, e);
        }
        try (InputStream body = new BufferedInputStream(response.body(), 64 * 1024)) {
            int status = response.statusCode();
            if (status != 200) throw httpError(status, body);
            String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
            if (type.startsWith("text/") || type.contains("json") || type.contains("html") || type.contains("xml")) {
                throw new StorageException("the sync server " + server + " answered a pull with " + type + ", not protobuf: is "
                        + server + " a Turso Sync server (Turso Cloud, tursodb --sync-server)?", false);
            }
            return readPages(body, sink);
        } catch (Protobuf.MalformedMessageException e) {
            throw new StorageException("the sync server " + server + " sent a pull-updates answer this client cannot read ("
                    + e.getMessage() + "): is it a Turso Sync server (Turso Cloud, tursodb --sync-server)?", false, e);
        } catch (IOException e) {
            throw new StorageException("the connection to the sync server " + server + " broke while reading updates: " + describe(e)
                    + "; nothing of this pull was applied, try again", true, e);
        }
    }

    private Header readPages(InputStream body, PageSink sink) throws IOException {
        byte[] first = Protobuf.readDelimited(body, MAX_MESSAGE_BYTES);
        if (first == null) throw new EOFException("the answer is empty: no header");
        Header header = parseHeader(first);
        byte[] message;
        while ((message = Protobuf.readDelimited(body, MAX_MESSAGE_BYTES)) != null) {
            long pageId = 0;
            byte[] page = null;
            Protobuf.Reader reader = new Protobuf.Reader(message);
            while (reader.next()) {
                switch (reader.field()) {
                    case PAGE_ID -> pageId = reader.varint();
                    case PAGE_BYTES -> page = reader.bytes();
                    default -> reader.skip();
                }
            }
            if (page == null || page.length != PAGE_SIZE) {
                throw refusal("sent page id " + Long.toUnsignedString(pageId) + " with " + (page == null ? 0 : page.length)
                        + " bytes; this client applies " + PAGE_SIZE + "-byte pages only");
            }
            if (Long.compareUnsigned(pageId, header.dbSizePages()) >= 0) {
                throw refusal("sent page id " + Long.toUnsignedString(pageId) + ", beyond its own database size of "
                        + header.dbSizePages() + " pages");
            }
            sink.page(pageId, page);
        }
        return header;
    }

    /** Reads and checks a response header. */
    private Header parseHeader(byte[] message) throws Protobuf.MalformedMessageException {
        String revision = "";
        long dbSize = 0;
        boolean raw = false;
        Protobuf.Reader reader = new Protobuf.Reader(message);
        while (reader.next()) {
            switch (reader.field()) {
                case HDR_SERVER_REVISION -> revision = reader.string();
                case HDR_DB_SIZE -> dbSize = reader.varint();
                case HDR_RAW_ENCODING -> {
                    reader.skip();
                    raw = true;
                }
                case HDR_ZSTD_ENCODING -> throw refusal("sent zstd-compressed pages although raw pages were asked for");
                case HDR_STREAM_KIND -> {
                    long kind = reader.varint();
                    if (kind != 0) throw refusal("sent stream kind " + kind + " (an MVCC logical log), not pages");
                }
                case HDR_APPLY_MODE -> {
                    long mode = reader.varint();
                    if (mode != 0) throw refusal("asked to apply the pages in mode " + mode + " (replace the base), not incrementally");
                }
                case HDR_MVCC_LOG -> throw refusal("sent MVCC logical-log metadata, not pages");
                case HDR_PROTOCOL -> {
                    long protocol = reader.varint();
                    if (protocol != 0 && protocol != 1) throw refusal("answered with protocol " + protocol + " (MVCC logical), not pages");
                }
                default -> reader.skip();
            }
        }
        if (!raw) throw refusal("did not say its pages are raw (no raw_encoding in the header)");
        if (dbSize < 0 || dbSize > Integer.MAX_VALUE) throw refusal("claims a database of " + Long.toUnsignedString(dbSize) + " pages");
        return new Header(revision, dbSize);
    }

    private StorageException refusal(String what) {
        return new StorageException("the sync server " + server + " " + what + ": this client reads raw 4096-byte page answers "
                + "of the Turso Sync pull protocol only, so nothing was applied", false);
    }

    private StorageException httpError(int status, InputStream body) {
        if (status == 401 || status == 403) {
            // the body is not shown: a proxy could echo the request's headers
            return new StorageException("the sync server " + server + " refused the pull (HTTP " + status
                    + "): authentication failed: check the token", false);
        }
        String text = errorText(body);
        boolean retry = status == 429 || status >= 500;
        return new StorageException("the sync server " + server + " answered HTTP " + status + " to a pull"
                + (text.isEmpty() ? "" : " (" + text + ")")
                + (retry ? "; the replica keeps its last synced state, try again later"
                        : ": is " + server + " a Turso Sync server (Turso Cloud, tursodb --sync-server)?"), retry);
    }

    /** The start of an error body, one line, with the token (should a server echo it) blanked out. */
    private String errorText(InputStream body) {
        try {
            String text = new String(body.readNBytes(MAX_ERROR_BODY_CHARS * 4), StandardCharsets.UTF_8);
            if (token != null) text = text.replace(token, "[token]");
            text = text.replaceAll("\\s+", " ").strip();
            return text.length() > MAX_ERROR_BODY_CHARS ? text.substring(0, MAX_ERROR_BODY_CHARS) + "..." : text;
        } catch (IOException e) {
            return ""; // the body only decorates the message about the status, which is what matters
        }
    }

    private String describe(IOException e) {
        String message = e.getMessage();
        if (message != null && token != null) message = message.replace(token, "[token]");
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
    }

    /** Aborts a pull in progress and releases the HTTP client's threads. */
    @Override
    public void close() {
        http.shutdownNow();
    }

    @Override
    public String toString() {
        return "PullUpdatesClient[" + endpoint + (token == null ? "" : ", with a token") + "]";
    }
}
