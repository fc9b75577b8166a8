package io.slipway.plugin.localindex;

import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.pf4j.Extension;

/**
 * Starts a {@link LocalIndex} for the rest of the pipeline run, e.g. to rehearse the upload and a
 * clean-venv install without TestPyPI. The server lives in the end-of-run hook, not in this
 * instance, since PF4J may create a new instance per lookup.
 */
@Extension
public class LocalIndexStep implements StepType {

    @Override
    public String id() {
        return "local-index";
    }

    /** The server lives only as long as the runner's process: start it again on every run. */
    @Override
    public boolean survivesRestart() {
        return false;
    }

    @Override
    public String description() {
        return "Starts a PyPI-compatible index on 127.0.0.1 for the rest of the run (uploads with twine, installs with pip).";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
                InputSpec.optional("storage", InputType.STRING, null,
                        "directory for the uploaded files, relative to the workspace; kept after the run."
                                + " Default: a temporary directory removed at the end of the run"),
                InputSpec.optional("generation", InputType.MAP, Map.of(),
                        "what the stored files are for, e.g. the build's sha256 output: each different value gets its own"
                                + " empty subdirectory of storage, so a rehearsal of rebuilt files does not meet the old ones"
                                + " (an index never takes a file name twice)"),
                InputSpec.optional("username", InputType.STRING, null,
                        "user allowed to upload; anyone may upload when not set"),
                InputSpec.optional("password", InputType.STRING, null, "that user's password").asSecret());
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(
                new OutputSpec("url", InputType.STRING, "simple index URL for pip --index-url"),
                new OutputSpec("upload-url", InputType.STRING, "repository URL for twine upload --repository-url"),
                new OutputSpec("identity", InputType.STRING, "which files the index serves (its storage directory): the same"
                        + " in every run for the same storage and generation, another for a fresh index; for twine-upload's"
                        + " index-identity, since the port changes from run to run"));
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        Optional<String> username = ctx.optionalString("username");
        Optional<String> password = ctx.optionalString("password");
        if (username.isPresent() != password.isPresent()) {
            throw new StepException("local-index got " + (username.isPresent() ? "a username without a password"
                    : "a password without a username") + " for uploads",
                    "give both inputs 'username' and 'password', or neither to let anyone upload");
        }
        Map<String, String> generation = ctx.map("generation");
        Optional<Path> kept = ctx.optionalString("storage").map(s -> ctx.workspace().resolve(s))
                .map(dir -> generation.isEmpty() ? dir : dir.resolve(generationName(generation)));
        Path storage = kept.isPresent() ? kept.get() : Files.createTempDirectory("slipway-local-index");
        LocalIndex index = LocalIndex.start(storage, username.orElse(null), password.orElse(null));
        ctx.atPipelineEnd(outcome -> {
            index.close();
            if (kept.isEmpty()) {
                deleteTree(storage);
            }
        });
        ctx.output("url", index.simpleUrl());
        ctx.output("upload-url", index.uploadUrl());
        ctx.output("identity", storage.toAbsolutePath().normalize().toString());
        ctx.log().detail("local index files in " + storage + (kept.isPresent() ? "" : " (removed at the end of the run)"));
        return StepResult.success("serving " + index.simpleUrl()
                + (username.isPresent() ? " (uploads as " + username.get() + ")" : " (anyone may upload)"));
    }

    /** A stable directory name for a generation value. */
    static String generationName(Map<String, String> generation) {
        return UUID.nameUUIDFromBytes(new TreeMap<>(generation).toString().getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
