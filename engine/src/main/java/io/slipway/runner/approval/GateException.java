package io.slipway.runner.approval;

import io.slipway.spi.StepException;

/**
 * Ends an approval or confirmation step without a plain failure: the release waits for a decision
 * (exit 3, resumable), was rejected (exit 4), or the person at the prompt cancelled it with Ctrl-C
 * or end of input (exit 130, asked again next time, like any interrupted step).
 */
public final class GateException extends StepException {

    /** What the gate decided. */
    public enum Kind { WAITING, REJECTED, CANCELLED }

    private final Kind kind;

    public GateException(Kind kind, String message, String hint) {
        super(message, hint);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
