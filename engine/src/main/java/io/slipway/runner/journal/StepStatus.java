package io.slipway.runner.journal;

/** Where a step stands in a release. */
public enum StepStatus {
    PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED, WAITING, INTERRUPTED, REJECTED;

    /** Succeeded or skipped: a resumed run does not execute the step again. */
    public boolean done() {
        return this == SUCCEEDED || this == SKIPPED;
    }
}
