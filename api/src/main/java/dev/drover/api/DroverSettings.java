package dev.drover.api;

/**
 * Settings that apply to every queue of one {@link Drover}.
 *
 * @param maxPayloadBytes a push whose encoded payload is larger is refused with {@link InvalidTaskException}
 * @param defaultMaxAttempts attempts a task gets when its {@link TaskOptions} do not say
 */
public record DroverSettings(int maxPayloadBytes, int defaultMaxAttempts) {
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_ATTEMPTS = 20;

    public DroverSettings {
        if (maxPayloadBytes < 1) throw new ConfigurationException("maxPayloadBytes must be positive (got " + maxPayloadBytes + ")");
        if (defaultMaxAttempts < 1) throw new ConfigurationException("defaultMaxAttempts must be at least 1 (got " + defaultMaxAttempts + ")");
    }

    public static DroverSettings defaults() {
        return new DroverSettings(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_ATTEMPTS);
    }

    public DroverSettings maxPayloadBytes(int bytes) {
        return new DroverSettings(bytes, defaultMaxAttempts);
    }

    public DroverSettings defaultMaxAttempts(int attempts) {
        return new DroverSettings(maxPayloadBytes, attempts);
    }
}
