package io.slipway.runner.journal;

import java.io.IOException;
import java.nio.file.Path;

/** Another runner is working on a release with the same state dir: one release at a time per repository. */
public final class JournalLockedException extends IOException {
    JournalLockedException(Path stateDir, String holder) {
        super("another runner is already working on " + (holder.isEmpty() ? "a release" : holder) + " in " + stateDir);
    }
}
