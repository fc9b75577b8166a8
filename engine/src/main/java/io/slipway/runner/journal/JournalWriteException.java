package io.slipway.runner.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The journal could not be written (a full disk, a removed folder). The file on disk still holds
 * the last state written, since every write replaces it atomically: the run must stop here.
 */
public final class JournalWriteException extends UncheckedIOException {
    JournalWriteException(Path file, IOException cause) {
        super("cannot write the journal " + file + ": " + cause.getMessage(), cause);
    }
}
