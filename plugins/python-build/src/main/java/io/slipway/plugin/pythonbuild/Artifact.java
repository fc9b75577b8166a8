package io.slipway.plugin.pythonbuild;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
        return new Artifact(file.toAbsolutePath(), sha256(file), Files.size(file));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Whether the file still exists with the recorded content. */
    boolean unchanged() {
        try {
            return Files.isRegularFile(path) && Files.size(path) == size && sha256(path).equals(sha256);
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
