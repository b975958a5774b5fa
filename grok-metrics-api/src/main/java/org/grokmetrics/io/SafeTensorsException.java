package org.grokmetrics.io;

import java.io.IOException;

/** A safetensors file that cannot be read: truncated, corrupt, or using an unsupported dtype. */
public final class SafeTensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file and the problem */
    public SafeTensorsException(String message) {
        super(message);
    }

    /**
     * An exception with the failure that caused it.
     *
     * @param message one line naming the file and the problem
     * @param cause   the underlying failure
     */
    public SafeTensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
