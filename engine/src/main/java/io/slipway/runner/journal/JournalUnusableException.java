package io.slipway.runner.journal;

import java.io.IOException;
import java.nio.file.Path;

/** The journal file exists but this run cannot resume from it: it is damaged, or another release's. */
public final class JournalUnusableException extends IOException {

    private final String hint;

    private JournalUnusableException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    static JournalUnusableException damaged(Path file, String why) {
        return new JournalUnusableException("the journal " + file + " is damaged (" + why + ")",
                "run the same command with --restart: it moves the damaged journal aside and starts this release over;"
                        + " if an earlier run of it made a release commit (git log shows it), take that off first");
    }

    static JournalUnusableException foreign(Path file, String differences) {
        return new JournalUnusableException("the journal " + file + " belongs to another release: it records " + differences,
                "it was copied or moved here, or the repository was moved: put it back where it belongs, or run the"
                        + " same command with --restart to move it aside and start this release over");
    }

    /** What the user can do about it. */
    public String hint() {
        return hint;
    }
}
