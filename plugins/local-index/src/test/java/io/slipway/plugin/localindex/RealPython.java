package io.slipway.plugin.localindex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real Debian Python tools for tests, isolated from this machine's pip and twine settings. Published
 * in this module's test-jar so other plugins' tests can build and upload with the same code.
 */
public final class RealPython {

    public static final String PYTHON = "/usr/bin/python3";

    public record Result(int exitCode, String output) {
    }

    private RealPython() {
    }

    public static Result run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PIP_") || k.startsWith("TWINE_"));
        pb.environment().put("PIP_CONFIG_FILE", "/dev/null");
        pb.environment().put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), out);
    }

    public static Result ok(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        Result r = run(dir, env, command);
        assertEquals(0, r.exitCode(), String.join(" ", command) + "\n" + r.output());
        return r;
    }

    /**
     * Builds a minimal setuptools project {@code name} at {@code version} offline and returns its
     * sdist and wheel; {@code marker} ends up in the module so two builds can differ in content.
     */
    public static List<Path> build(Path dir, String name, String version, String marker) throws IOException, InterruptedException {
        return build(dir, name, version, marker, "");
    }

    /** {@link #build(Path, String, String, String)} with more lines for {@code [project]}, e.g. {@code requires-python = ">=3.8"}. */
    public static List<Path> build(Path dir, String name, String version, String marker, String projectLines)
            throws IOException, InterruptedException {
        String module = name.replace('-', '_');
        Files.createDirectories(dir.resolve(module));
        Files.writeString(dir.resolve("pyproject.toml"), """
                [build-system]
                requires = ["setuptools"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "%s"
                version = "%s"
                %s
                """.formatted(name, version, projectLines));
        Files.writeString(dir.resolve(module).resolve("__init__.py"), "MARKER = \"" + marker + "\"\n");
        List<Path> files = dist(dir);
        assertEquals(2, files.size(), files.toString());
        return files;
    }

    /** Builds the project in {@code dir} offline into its dist/ and returns what is there, sorted. */
    public static List<Path> dist(Path dir) throws IOException, InterruptedException {
        // A fixture's one build requirement, setuptools, is the interpreter's: the frontend's check of it would
        // cost two more processes that import the backend (python-build checks it once for a whole release instead).
        ok(dir, Map.of(), PYTHON, "-m", "build", "--no-isolation", "--skip-dependency-check", "--outdir", "dist", ".");
        try (var listing = Files.list(dir.resolve("dist"))) {
            return listing.sorted().toList();
        }
    }

    /** {@code twine upload} of the files to the index, credentials through the environment; options after the URL. */
    public static Result upload(String url, String user, String password, List<Path> files, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-m", "twine", "--no-color", "upload", "--non-interactive",
                "--disable-progress-bar", "--repository-url", url));
        command.addAll(List.of(options));
        files.forEach(f -> command.add(f.toString()));
        return run(files.get(0).getParent(), Map.of("TWINE_USERNAME", user, "TWINE_PASSWORD", password),
                command.toArray(String[]::new));
    }
}
