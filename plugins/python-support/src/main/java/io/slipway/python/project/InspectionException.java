package io.slipway.python.project;

import io.slipway.spi.StepException;

/**
 * A repository whose packages cannot be inspected: one sentence naming the file and what is wrong,
 * and a hint on what to do. The message carries both, so a script error shows the hint too.
 */
public final class InspectionException extends RuntimeException {

    private final String reason;
    private final String hint;

    public InspectionException(String reason, String hint) {
        super(reason + "; " + hint);
        this.reason = reason;
        this.hint = hint;
    }

    /** What is wrong, without the hint. */
    public String reason() {
        return reason;
    }

    public String hint() {
        return hint;
    }

    /** A project file that could not be read: not UTF-8 (what Python's tools read it as), or not readable at all. */
    public static InspectionException unreadable(java.nio.file.Path file, java.io.IOException e) {
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return new InspectionException(file + " is not UTF-8 text, and Slipway reads project files as UTF-8", "save it as UTF-8");
        }
        return new InspectionException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")",
                "check that the file exists and this user can read it");
    }

    /** The same sentence and hint as a step's failure, for steps that ask the inspector. */
    public StepException toStepException() {
        return new StepException(reason, hint);
    }
}
