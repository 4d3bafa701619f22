package dev.drover.api;

/** A setting is wrong: an unknown URL scheme, a malformed URL, an invalid option value. */
public class ConfigurationException extends DroverException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
