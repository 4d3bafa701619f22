package dev.drover.dashboard.internal;

import static dev.drover.dashboard.internal.Html.esc;

/** The pages with a sentence and at most one form: confirmation, login, errors. */
final class SimplePages {
    private SimplePages() {
    }

    /** Asks before an action when the page's dialog did not (no script): the same POST again, confirmed. */
    static String confirm(Layout layout, String action, String question, String label, String back) {
        String body = "<section class=\"panel narrow\"><h1>" + esc(label) + "?</h1><p>" + esc(question) + "</p>"
                + "<form method=\"post\" action=\"" + esc(action) + "\">" + layout.hidden()
                + "<input type=\"hidden\" name=\"confirmed\" value=\"yes\"><div class=\"buttons\">"
                + "<a class=\"button secondary\" href=\"" + esc(back) + "\">Cancel</a>"
                + "<button type=\"submit\" class=\"primary\" id=\"confirm-page-ok\">" + esc(label) + "</button></div></form></section>";
        return layout.page(label, null, null, body);
    }

    static String error(Layout layout, int status, String title, String message) {
        String body = "<section class=\"panel narrow\"><h1>" + esc(title) + "</h1><p class=\"error-message\">" + esc(message)
                + "</p><p><a href=\"/\">Back to the queues</a></p></section>";
        return layout.page(status + " " + title, null, null, body);
    }

    /** The token form of a dashboard that requires one; {@code failed} after a wrong token. */
    static String login(boolean failed) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Sign in · Drover</title><link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/assets/dashboard.css\"></head>"
                + "<body class=\"login\"><main><section class=\"panel narrow\"><h1><span class=\"logo\">◆</span> Drover</h1>"
                + "<p>This dashboard needs its token.</p>"
                + (failed ? "<p class=\"error-message\">That is not the token.</p>" : "")
                + "<form method=\"post\" action=\"/login\"><label>Token <input type=\"password\" name=\"token\" autocomplete=\"current-password\" autofocus>"
                + "</label><div class=\"buttons\"><button type=\"submit\" class=\"primary\">Sign in</button></div></form></section></main></body></html>";
    }
}
