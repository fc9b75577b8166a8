package io.slipway.plugin.pythonbuild;

import io.slipway.python.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One built file as the journal and the outputs record it.
 *
 * @param path   absolute path
 * @param sha256 lower-case hex
 * @param size   bytes
 */
record Artifact(Path path, String sha256, long size) {

    /** Hashes the file as it is now. */
    static Artifact of(Path file) throws IOException {
        return new Artifact(file.toAbsolutePath(), Sha256.of(file), Files.size(file));
    }

    /** Whether the file still exists with the recorded content. */
    boolean unchanged() {
        try {
            return Files.isRegularFile(path) && Files.size(path) == size && Sha256.of(path).equals(sha256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One journal line: {@code <sha256> <size> <path>} (the path last, as it may hold spaces). */
    String journalLine() {
        return sha256 + " " + size + " " + path;
    }

    static Artifact fromJournalLine(String line) {
        String[] parts = line.split(" ", 3);
        return new Artifact(Path.of(parts[2]), parts[0], Long.parseLong(parts[1]));
    }
}
