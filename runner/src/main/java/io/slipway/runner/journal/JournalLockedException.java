package io.slipway.runner.journal;

import java.io.IOException;

/** Another runner is working on the same release. */
public final class JournalLockedException extends IOException {
    public JournalLockedException(String pipeline, String version, String holderPid) {
        super("another runner" + (holderPid.isEmpty() ? "" : " (pid " + holderPid + ")")
                + " is already working on release " + version + " of pipeline '" + pipeline + "'");
    }
}
