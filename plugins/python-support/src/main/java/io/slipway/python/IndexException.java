package io.slipway.python;

import java.io.IOException;
import java.net.URI;

/**
 * An index could not be read: one sentence naming the URL and the HTTP status (0 when no answer
 * came: connection refused, timeout).
 */
public class IndexException extends IOException {

    private final URI url;
    private final int status;

    public IndexException(String message, URI url, int status, Throwable cause) {
        super(message, cause);
        this.url = url;
        this.status = status;
    }

    /** The URL that failed, without credentials. */
    public URI url() {
        return url;
    }

    /** The HTTP status, or 0 if the server never answered. */
    public int status() {
        return status;
    }
}
