package io.slipway.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.slipway.plugin.gitsupport.Handover;
import io.slipway.plugin.gitsupport.Refused;
import io.slipway.runner.journal.Journal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * A release carried from one machine to another. {@code --until JOB --handoff F} writes F after
 * JOB succeeded: the journal, the files the steps produced (every output naming a file in the
 * repository) and a git bundle of the release's unpushed commits and local tags, each with its
 * sha256 in a manifest. {@code --handoff F} on a fresh checkout of the same repository checks all
 * of it, applies the bundle, puts the files back and installs the journal, so the run resumes where
 * the first machine stopped: done steps are not run again, uploads stay exactly once.
 *
 * <p>Both checkouts must be at the same path, as on GitHub Actions, where every job of a repository
 * checks out to the same folder: steps record absolute paths and fingerprint them.
 */
final class Handoff {

    static final int FORMAT = 1;
    private static final String MANIFEST = "manifest.json";
    private static final String JOURNAL = "journal.json";
    private static final String BUNDLE = "release.bundle";
    private static final String FILES = "files/";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One file the release produced, by its path relative to the repository. */
    record Artifact(String path, String sha256, long size) {
    }

    /**
     * What a handoff holds and where it came from.
     *
     * @param start         the commit the release started from: the other checkout must be at it
     * @param paramKeys     the {@code --set} keys the release ran with (their values may be secret: only their digest is kept)
     * @param paramsSha256  the digest of the {@code --set} keys and values: the other machine must give the same
     */
    record Manifest(int format, String pipeline, String version, String workspace, String origin, String start,
                    Handover.Content git, String journalSha256, String bundleSha256, List<Artifact> artifacts,
                    List<String> paramKeys, String paramsSha256) {
    }

    private Handoff() {
    }

    /** What a handoff's manifest takes from the journal, read at once. */
    private record Recorded(String start, String pipeline, String version) {
    }

    /**
     * Writes the handoff of a release that stopped after its {@code --until} job; returns what it holds.
     *
     * @param params the release's {@code --set} parameters
     */
    static Manifest write(Path target, Journal journal, Path workspace, Map<String, String> params) throws UserError {
        Recorded recorded = journal.read(d -> new Recorded(d.startHead, d.pipeline, d.version));
        String start = recorded.start();
        if (start == null) {
            throw UserError.usage("this release recorded no commit it started from, so it cannot be handed on",
                    "a handoff needs a git repository with at least one commit");
        }
        try {
            byte[] journalBytes = Files.readAllBytes(journal.file());
            ByteArrayOutputStream bundle = new ByteArrayOutputStream();
            Handover.Content git = Handover.write(workspace, start, bundle);
            List<Artifact> artifacts = new ArrayList<>();
            for (Path file : producedFiles(journal, workspace, journal.file().getParent().toRealPath())) {
                artifacts.add(new Artifact(workspace.relativize(file).toString(), sha256(Files.readAllBytes(file)), Files.size(file)));
            }
            Manifest m = new Manifest(FORMAT, recorded.pipeline(), recorded.version(), workspace.toString(),
                    Handover.origin(workspace).orElse(null), start, git, sha256(journalBytes), sha256(bundle.toByteArray()), artifacts,
                    List.copyOf(new TreeSet<>(params.keySet())), paramsSha256(params));
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                put(tar, MANIFEST, JSON.writeValueAsBytes(m));
                put(tar, JOURNAL, journalBytes);
                put(tar, BUNDLE, bundle.toByteArray());
                for (Artifact a : artifacts) {
                    put(tar, FILES + a.path(), Files.readAllBytes(workspace.resolve(a.path())));
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return m;
        } catch (IOException e) {
            throw UserError.usage("cannot write the handoff " + target + ": " + e.getMessage(), "check that its folder is writable and has space");
        }
    }

    /**
     * Brings a handoff into this checkout: refused, with nothing changed, unless it is this
     * release's, from this repository at this path, and every part matches its sha256. Then the
     * bundle is applied, the files put back and the journal installed where the run reads it.
     *
     * @param params this run's {@code --set} parameters: the release's own, or the rest of it would be another release
     * @return what was done, one line each
     */
    static List<String> receive(Path source, String pipeline, String version, Path workspace, Path journalFile,
                                Map<String, String> params) throws UserError {
        Map<String, byte[]> parts = unpack(source);
        Manifest m;
        try {
            m = JSON.readValue(required(parts, MANIFEST, source), Manifest.class);
        } catch (IOException e) {
            throw refused(source, "its manifest cannot be read (" + e.getMessage() + ")");
        }
        if (m.format() != FORMAT) {
            throw refused(source, "it is format " + m.format() + ", this runner reads format " + FORMAT);
        }
        if (!m.pipeline().equals(pipeline) || !m.version().equals(version)) {
            throw UserError.usage("the handoff " + source + " is of " + m.pipeline() + " " + m.version() + ", not " + pipeline + " " + version,
                    "give the handoff of this release, or run runner " + "with --version " + m.version());
        }
        if (!m.workspace().equals(workspace.toString())) {
            throw UserError.usage("the handoff was made in " + m.workspace() + ", and this checkout is " + workspace,
                    "check out to the same path (GitHub Actions does, for every job of a repository): steps record absolute paths");
        }
        if (m.paramsSha256() != null && !m.paramsSha256().equals(paramsSha256(params))) {
            throw UserError.usage("the handoff was made with other --set options than this run's",
                    "give the --set options the first machine gave (keys: " + (m.paramKeys().isEmpty() ? "none"
                            : String.join(", ", m.paramKeys())) + "; values as there); the command it printed has them."
                            + " Nothing was changed here");
        }
        Optional<String> origin = origin(workspace);
        if (m.origin() != null && origin.isPresent() && !m.origin().equals(origin.get())) {
            throw UserError.usage("the handoff is of the repository " + m.origin() + ", and this checkout's origin is " + origin.get(),
                    "use a checkout of " + m.origin());
        }
        byte[] journal = required(parts, JOURNAL, source);
        byte[] bundle = required(parts, BUNDLE, source);
        check(source, JOURNAL, journal, m.journalSha256());
        check(source, BUNDLE, bundle, m.bundleSha256());
        for (Artifact a : m.artifacts()) {
            Path to = workspace.resolve(a.path()).normalize();
            if (!to.startsWith(workspace) || workspace.relativize(to).startsWith(".git")) {
                throw refused(source, "it would write " + a.path() + ", outside the repository's work tree");
            }
            check(source, a.path(), required(parts, FILES + a.path(), source), a.sha256());
        }
        try {
            JsonNode recorded = JSON.readTree(journal);
            if (!pipeline.equals(recorded.path("pipeline").asText()) || !version.equals(recorded.path("version").asText())) {
                throw refused(source, "its journal is of another release than its manifest says");
            }
        } catch (IOException e) {
            throw refused(source, "its journal is not JSON");
        }
        if (Files.exists(journalFile)) {
            return List.of("this release's journal is already here (" + journalFile + "); resuming from it, the handoff is not applied again");
        }
        List<String> done = new ArrayList<>();
        Path bundleFile = null;
        try {
            bundleFile = Files.createTempFile("slipway-handoff", ".bundle");
            Files.write(bundleFile, bundle);
            done.addAll(Handover.apply(workspace, bundleFile, m.start(), m.git()));
            for (Artifact a : m.artifacts()) {
                Path to = workspace.resolve(a.path()).normalize();
                Files.createDirectories(to.getParent());
                Files.write(to, parts.get(FILES + a.path()));
            }
            if (!m.artifacts().isEmpty()) {
                done.add("put back " + m.artifacts().size() + " file(s) the release produced: "
                        + String.join(", ", m.artifacts().stream().map(Artifact::path).toList()));
            }
            Files.createDirectories(journalFile.getParent());
            Path tmp = journalFile.resolveSibling(JOURNAL + ".tmp");
            Files.write(tmp, journal);
            Files.move(tmp, journalFile, StandardCopyOption.ATOMIC_MOVE);
            done.add("installed the journal: the run resumes where the handoff was made");
            return done;
        } catch (Refused e) {
            throw UserError.usage(e.getMessage(), e.hint());
        } catch (IOException e) {
            throw UserError.usage("cannot apply the handoff " + source + ": " + e.getMessage(), "check the checkout and the disk, then run the same command again");
        } finally {
            if (bundleFile != null) {
                try {
                    Files.deleteIfExists(bundleFile);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }

    /**
     * Files under the repository that the release's steps name in their outputs (the built
     * distributions, say, in .slipway/dist), except git's and the release's own state: the journal
     * travels on its own, and the receiving run writes its own log.
     */
    private static List<Path> producedFiles(Journal journal, Path workspace, Path stateDir) {
        TreeSet<Path> files = new TreeSet<>();
        journal.read(d -> {
            d.steps.values().forEach(s -> collect(s.outputs, workspace, stateDir, files));
            return null;
        });
        return List.copyOf(files);
    }

    private static void collect(Object value, Path workspace, Path stateDir, TreeSet<Path> files) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                collect(k, workspace, stateDir, files);
                collect(v, workspace, stateDir, files);
            });
        } else if (value instanceof Iterable<?> list) {
            list.forEach(v -> collect(v, workspace, stateDir, files));
        } else if (value instanceof String s && s.startsWith(workspace + "/")) {
            Path p = Path.of(s).normalize();
            if (p.startsWith(workspace) && !workspace.relativize(p).startsWith(".git") && !p.startsWith(stateDir)
                    && Files.isRegularFile(p)) {
                files.add(p);
            }
        }
    }

    /** A digest of the {@code --set} parameters, in key order. */
    static String paramsSha256(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(params).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return sha256(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Optional<String> origin(Path workspace) throws UserError {
        try {
            return Handover.origin(workspace);
        } catch (IOException e) {
            throw UserError.usage("cannot read this checkout's git configuration: " + e.getMessage(), "run it in a clone of the repository");
        }
    }

    private static Map<String, byte[]> unpack(Path source) throws UserError {
        if (!Files.isRegularFile(source)) {
            throw UserError.usage("the handoff " + source + " does not exist", "give the file that runner ... --until JOB --handoff wrote");
        }
        Map<String, byte[]> parts = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(source);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    parts.put(e.getName(), tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw refused(source, "it is not a complete .tgz (" + e.getMessage() + ")");
        }
        return parts;
    }

    private static byte[] required(Map<String, byte[]> parts, String name, Path source) throws UserError {
        byte[] b = parts.get(name);
        if (b == null) {
            throw refused(source, "it has no " + name);
        }
        return b;
    }

    private static void check(Path source, String name, byte[] bytes, String expected) throws UserError {
        if (!sha256(bytes).equals(expected)) {
            throw refused(source, name + " in it does not match the sha256 its manifest records: it was changed after it was written");
        }
    }

    private static UserError refused(Path source, String why) {
        return UserError.usage("the handoff " + source + " is refused: " + why,
                "make it again on the first machine (runner ... --until JOB --handoff FILE); nothing was changed here");
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
