package dev.drover.api.codec;

import dev.drover.api.InvalidTaskException;

/** A payload cannot be encoded by its queue's codec; nothing was pushed. */
public class PayloadEncodeException extends InvalidTaskException {
    public PayloadEncodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
