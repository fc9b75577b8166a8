package io.slipway.plugin.gitsupport;

/** Why a repository cannot be changed as asked (taken back, or given a release's commits), in one sentence with a hint. */
public final class Refused extends Exception {
    private final String hint;

    Refused(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
