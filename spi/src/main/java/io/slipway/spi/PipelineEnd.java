package io.slipway.spi;

/**
 * Work a step leaves for the end of the pipeline run, registered with
 * {@link StepContext#atPipelineEnd}: stopping a server it started, removing a local tag when the
 * release failed. Hooks run in reverse order of registration, once, whatever the outcome, but not
 * after a hard crash: a step that must also clean up after {@code kill -9} records what to clean in
 * its {@link StepJournal} and does it when it runs again.
 */
@FunctionalInterface
public interface PipelineEnd {

    /** How the run ended. */
    enum Outcome {
        /** Every step succeeded or was skipped. */
        SUCCEEDED,
        /** A step failed or an approval was rejected. */
        FAILED,
        /** The run stopped at an approval that can be given later; it will resume. */
        WAITING,
        /** The user interrupted the run; it will resume. */
        CANCELLED
    }

    void onEnd(Outcome outcome) throws Exception;
}
