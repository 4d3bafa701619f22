package dev.drover.api.codec;

import dev.drover.api.DroverException;

/** The stored bytes of a task cannot be read by its queue's codec. */
public class PayloadDecodeException extends DroverException {
    public PayloadDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
