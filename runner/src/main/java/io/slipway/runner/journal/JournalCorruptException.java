package io.slipway.runner.journal;

import java.io.IOException;
import java.nio.file.Path;

/** The journal file exists but is not a journal this runner can read. */
public final class JournalCorruptException extends IOException {
    public JournalCorruptException(Path file, String why) {
        super("the journal " + file + " cannot be read: " + why);
    }
}
