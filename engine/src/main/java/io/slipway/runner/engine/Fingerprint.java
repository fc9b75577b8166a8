package io.slipway.runner.engine;

import io.slipway.runner.model.Step;
import io.slipway.spi.InputSpec;
import io.slipway.spi.StepType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

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
            update(md, "file " + workspace.relativize(file));
            try {
                md.update(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " to fingerprint step " + step.id(), e);
            }
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

    /** Regular files under the workspace matching any of the globs, sorted; a plain path matches itself. */
    static List<Path> files(Path workspace, List<String> globs) {
        if (globs.isEmpty()) {
            return List.of();
        }
        List<PathMatcher> matchers = globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        try (Stream<Path> s = Files.walk(workspace)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !workspace.relativize(p).startsWith(".slipway") && !workspace.relativize(p).startsWith(".git"))
                    .filter(p -> matchers.stream().anyMatch(m -> m.matches(workspace.relativize(p))))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list files for a fingerprint", e);
        }
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
