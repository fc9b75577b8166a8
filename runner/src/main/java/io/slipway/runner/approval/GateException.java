package io.slipway.runner.approval;

import io.slipway.spi.StepException;

/**
 * Ends an approval or confirmation step without a plain failure: the release waits for a decision
 * (exit 3, resumable) or was rejected (exit 4).
 */
public final class GateException extends StepException {

    /** What the gate decided. */
    public enum Kind { WAITING, REJECTED }

    private final Kind kind;

    public GateException(Kind kind, String message, String hint) {
        super(message, hint);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
