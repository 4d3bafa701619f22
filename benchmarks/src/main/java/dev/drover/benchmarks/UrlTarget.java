package dev.drover.benchmarks;

/**
 * Drover on the URL given with {@code --url}, opened as it is for every run (its runs use fresh queue names, but
 * share the database; nothing is deleted afterwards). The million scenario is not run by default here.
 */
public final class UrlTarget extends DroverTarget {
    private final String url;

    UrlTarget(String id, String url) {
        super(id);
        this.url = url;
    }

    @Override
    public String summary() {
        return "Drover on " + url + " (fresh queue names per run; the database is kept)";
    }

    @Override
    public Integer cap(String scenario) {
        return scenario.equals("million") ? 0 : null;
    }

    @Override
    public DroverSession open() throws Exception {
        return open(url, queues -> { });
    }
}
