package io.slipway.spi;

import java.util.Objects;

/**
 * How a step ended. Outputs are set separately with {@link StepContext#output}.
 *
 * @param status  succeeded, skipped or failed
 * @param message for a success an optional summary, for a skip the reason, for a failure what failed
 * @param hint    for a failure, what the user should do next; otherwise {@code null}
 */
public record StepResult(Status status, String message, String hint) {

    /** The three ways a step can end. */
    public enum Status { SUCCEEDED, SKIPPED, FAILED }

    public StepResult {
        Objects.requireNonNull(status, "status");
    }

    public static StepResult success() {
        return new StepResult(Status.SUCCEEDED, null, null);
    }

    /** A success with a one-line summary shown in the console, e.g. "already tagged v3.1.0". */
    public static StepResult success(String summary) {
        return new StepResult(Status.SUCCEEDED, summary, null);
    }

    /** Nothing to do, e.g. "no CHANGELOG file". A skipped step counts as done when resuming. */
    public static StepResult skipped(String reason) {
        return new StepResult(Status.SKIPPED, Objects.requireNonNull(reason), null);
    }

    /** A failure: one sentence on what failed and one on what to do. */
    public static StepResult failure(String message, String hint) {
        return new StepResult(Status.FAILED, Objects.requireNonNull(message), hint);
    }
}
