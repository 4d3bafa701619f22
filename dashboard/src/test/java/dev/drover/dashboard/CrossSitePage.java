package dev.drover.dashboard;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Another site: a page on its own origin (another port) whose form posts itself to the dashboard as soon as it loads,
 * the way a cross-site request forgery would. It cannot know the dashboard's CSRF token.
 */
final class CrossSitePage implements AutoCloseable {
    private final HttpServer server;

    private CrossSitePage(HttpServer server) {
        this.server = server;
    }

    static CrossSitePage postingTo(URI target, String fields) throws IOException {
        StringBuilder inputs = new StringBuilder();
        for (String pair : fields.split("&")) {
            String[] kv = pair.split("=", 2);
            inputs.append("<input type=\"hidden\" name=\"").append(kv[0]).append("\" value=\"").append(kv[1]).append("\">");
        }
        byte[] page = ("<!doctype html><html><body><form id=\"f\" method=\"post\" action=\"" + target + "\">" + inputs
                + "</form><script>document.getElementById('f').submit()</script></body></html>").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        return new CrossSitePage(server);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
