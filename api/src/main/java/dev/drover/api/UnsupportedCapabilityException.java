package dev.drover.api;


/** The application asked for something the configured backend declares it cannot do. */
public class UnsupportedCapabilityException extends DroverException {
    private final Capability capability;

    public UnsupportedCapabilityException(Capability capability, String backend, String advice) {
        super(backend + " does not support " + capability + ": " + advice);
        this.capability = capability;
    }

    public Capability capability() {
        return capability;
    }
}
