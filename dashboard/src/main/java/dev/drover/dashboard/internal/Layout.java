package dev.drover.dashboard.internal;

import dev.drover.api.TaskState;

import java.util.Locale;

import static dev.drover.dashboard.internal.Html.esc;

/** The frame every page shares: head, top bar, flash message, the confirmation dialog; and the small shared parts. */
final class Layout {
    private final String backend;
    private final String csrf;
    private final boolean readOnly;

    Layout(String backend, String csrf, boolean readOnly) {
        this.backend = backend;
        this.csrf = csrf;
        this.readOnly = readOnly;
    }

    boolean readOnly() {
        return readOnly;
    }

    /** A whole page: {@code main} is HTML built by the page, every stored value in it already escaped. */
    String page(String title, String flash, String mainAttributes, String main) {
        StringBuilder b = new StringBuilder(8192);
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta name=\"drover-csrf\" content=\"").append(esc(csrf)).append("\">")
                .append("<title>").append(esc(title)).append(" · Drover</title>")
                .append("<link rel=\"icon\" href=\"data:,\">")
                .append("<link rel=\"stylesheet\" href=\"/assets/dashboard.css\">")
                .append("<script src=\"/assets/dashboard.js\" defer></script></head><body>")
                .append("<header class=\"top\"><a class=\"brand\" href=\"/\"><span class=\"logo\">◆</span> Drover</a>")
                .append("<nav><a href=\"/\">Queues</a><a href=\"/runs\">Workflow runs</a></nav>")
                .append("<form class=\"find\" action=\"/find\" method=\"get\" role=\"search\">")
                .append("<input name=\"id\" placeholder=\"Find a task by id\" aria-label=\"Task id\" autocomplete=\"off\"></form>")
                .append("<span class=\"backend\" title=\"backend\">").append(esc(backend)).append("</span>");
        if (readOnly) b.append("<span class=\"pill readonly\">read-only</span>");
        b.append("</header><main").append(mainAttributes == null ? "" : " " + mainAttributes).append(">");
        if (flash != null) b.append("<div class=\"flash\" role=\"status\">").append(esc(flash)).append("</div>");
        b.append(main).append("</main>");
        b.append("<dialog id=\"confirm\"><form method=\"dialog\"><p class=\"question\"></p><div class=\"buttons\">")
                .append("<button value=\"cancel\" class=\"secondary\" id=\"confirm-cancel\">Cancel</button>")
                .append("<button value=\"ok\" class=\"primary\" id=\"confirm-ok\">Confirm</button></div></form></dialog>");
        b.append("</body></html>");
        return b.toString();
    }

    /**
     * A button that POSTs to {@code action} after the operator confirms {@code question} (in a dialog; without script,
     * the server asks on a page of its own). Nothing in read-only mode.
     */
    String button(String action, String label, String question, String style) {
        if (readOnly) return "";
        return "<form class=\"inline\" method=\"post\" action=\"" + esc(action) + "\" data-confirm=\"" + esc(question) + "\">"
                + hidden() + "<input type=\"hidden\" name=\"confirmed\" value=\"\">"
                + "<button type=\"submit\" class=\"" + esc(style) + "\" data-action=\"" + esc(label.toLowerCase(Locale.ROOT)) + "\">"
                + esc(label) + "</button></form>";
    }

    /** The CSRF field every POST form carries. */
    String hidden() {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">";
    }

    static String badge(TaskState state) {
        String s = state.name().toLowerCase(Locale.ROOT);
        return "<span class=\"badge " + s + "\">" + s + "</span>";
    }
}
