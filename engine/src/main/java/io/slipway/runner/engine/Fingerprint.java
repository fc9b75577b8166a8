package io.slipway.runner.engine;

import io.slipway.runner.model.Step;
import io.slipway.spi.InputSpec;
import io.slipway.spi.StepType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a succeeded step depended on, as one hash: its type, its resolved inputs (secret values
 * left out), its environment, and the content of the files it declares. A different fingerprint on
 * a later run means the step is stale.
 */
final class Fingerprint {

    private Fingerprint() {
    }

    static String of(Step step, StepType type, Map<String, Object> inputs, Map<String, String> env, Path workspace) {
        MessageDigest md = sha256();
        update(md, "uses=" + step.uses());
        for (InputSpec spec : type.inputs()) {
            Object v = inputs.get(spec.name());
            update(md, "input " + spec.name() + "=" + (spec.secret() ? "<secret>" : String.valueOf(v)));
        }
        new TreeMap<>(env).forEach((k, v) -> update(md, "env " + k + "=" + v));
        for (Path file : files(workspace, step.files())) {
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (NoSuchFileException gone) {
                continue; // deleted since the walk listed it (a build's leftovers beside the step): not there
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " to fingerprint step " + step.id(), e);
            }
            update(md, "file " + workspace.relativize(file));
            md.update(content);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A fingerprint extended by the step type's {@link StepType#state}; an empty state leaves it as it is. */
    static String withState(String fingerprint, String state) {
        if (state.isEmpty()) {
            return fingerprint;
        }
        MessageDigest md = sha256();
        update(md, fingerprint);
        update(md, "state " + state);
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Regular files under the workspace, outside its .git and .slipway, matching any of the globs,
     * sorted; a plain path matches itself. A file or folder deleted while the walk passes (a build
     * running beside the step writes and removes egg-info and build folders) is left out.
     */
    static List<Path> files(Path workspace, List<String> globs) {
        if (globs.isEmpty()) {
            return List.of();
        }
        List<PathMatcher> matchers = globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        Set<Path> skipped = Set.of(workspace.resolve(".git"), workspace.resolve(".slipway"));
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(workspace, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return skipped.contains(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    Path relative = workspace.relativize(file);
                    // The glob first: only a match is worth a stat (which follows a symbolic link).
                    if (matchers.stream().anyMatch(m -> m.matches(relative)) && Files.isRegularFile(file)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list files for a fingerprint", e);
        }
        Collections.sort(files);
        return files;
    }

    private static void update(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
