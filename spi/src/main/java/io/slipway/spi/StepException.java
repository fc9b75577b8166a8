package io.slipway.spi;

/**
 * Fails the running step with a message for the user and a hint on what to do next.
 *
 * <pre>{@code throw new StepException("tag v3.1.0 exists at 1a2b3c4, not at HEAD 5d6e7f8",
 *         "delete the tag if it is wrong, or release another version");}</pre>
 */
public class StepException extends Exception {

    private final String hint;

    public StepException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public StepException(String message, String hint, Throwable cause) {
        super(message, cause);
        this.hint = hint;
    }

    /** What the user should do next; may be {@code null}. */
    public String hint() {
        return hint;
    }
}
