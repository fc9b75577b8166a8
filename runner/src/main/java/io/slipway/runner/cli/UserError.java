package io.slipway.runner.cli;

/** A problem the user can fix: one sentence, a hint, and the exit code DESIGN.md gives it. */
final class UserError extends Exception {
    final String hint;
    final int exitCode;

    UserError(String message, String hint, int exitCode) {
        super(message);
        this.hint = hint;
        this.exitCode = exitCode;
    }

    static UserError usage(String message, String hint) {
        return new UserError(message, hint, 2);
    }
}
