package dev.drover.spi;

import dev.drover.api.ConfigurationException;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds the {@link BackendProvider} for a URL's scheme among those on the class path. */
public final class Backends {
    public static final String URL_VARIABLE = "DROVER_URL";

    private Backends() {
    }

    public static Backend open(String url) {
        DroverUrl parsed = DroverUrl.parse(url);
        List<BackendProvider> providers = providers();
        for (BackendProvider provider : providers) {
            if (provider.schemes().contains(parsed.scheme())) {
                return provider.open(parsed);
            }
        }
        TreeSet<String> installed = new TreeSet<>();
        providers.forEach(p -> installed.addAll(p.schemes()));
        throw new ConfigurationException("no Drover backend for scheme \"" + parsed.scheme() + ":\" in " + parsed.redacted()
                + (installed.isEmpty()
                    ? ": no backend is installed; add a backend such as drover-backend-sqlite to the class path"
                    : ": installed schemes are " + String.join(", ", installed.stream().map(s -> s + ":").toList())
                      + "; add the backend that serves \"" + parsed.scheme() + ":\" to the class path or fix the URL"));
    }

    /** Opens the URL in the {@value #URL_VARIABLE} environment variable. */
    public static Backend openFromEnvironment() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            throw new ConfigurationException(URL_VARIABLE + " is not set: set it to a backend URL such as sqlite:jobs.db");
        }
        return open(url);
    }

    public static List<BackendProvider> providers() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(found::add);
        if (Thread.currentThread().getContextClassLoader() != null
                && Thread.currentThread().getContextClassLoader() != Backends.class.getClassLoader()) {
            for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
                if (found.stream().noneMatch(f -> f.getClass().equals(p.getClass()))) found.add(p);
            }
        }
        return found;
    }
}
