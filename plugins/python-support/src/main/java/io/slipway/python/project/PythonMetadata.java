package io.slipway.python.project;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.python.Python;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What only Python can answer about a package: the literal keyword arguments of its {@code setup.py}
 * (read with Python's {@code ast}, so none of the project's code runs) and, when even those do not
 * say, the build backend's own metadata (PEP 517 {@code prepare_metadata_for_build_wheel}), both
 * through the interpreter the release uses. The backend may run {@code setup.py}; it writes its
 * metadata to a temporary folder and no bytecode, so the work tree is left as it was.
 */
public class PythonMetadata {

    /** For callers without an interpreter: every question is refused with a sentence. */
    public static final PythonMetadata NONE = new PythonMetadata(null, Map.of());

    private static final String SCRIPT = script();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String interpreter;
    private final Map<String, String> env;

    /**
     * @param interpreter the release's Python ({@code --python}, {@code SLIPWAY_PYTHON})
     * @param env         the environment steps see
     */
    public PythonMetadata(String interpreter, Map<String, String> env) {
        this.interpreter = interpreter;
        this.env = Map.copyOf(env);
    }

    /** The release's interpreter as the steps' environment names it ({@link Python#interpreter}). */
    public static PythonMetadata of(Map<String, String> env) {
        return new PythonMetadata(Python.interpreter(env), env);
    }

    /** {@code name}, {@code version}, {@code packages}, ... of {@code setup(...)} where they are literals (null where computed). */
    public Map<String, Object> setupLiterals(Path dir) {
        return ask("literals", List.of(dir), 30, "read " + dir.resolve("setup.py"));
    }

    /** {@code backend}, {@code name}, {@code version}, {@code console_scripts}, {@code top_level}, or {@code error}. */
    public Map<String, Object> backendMetadata(Path dir) {
        return ask("backend", List.of(dir), 180, "ask the build backend of " + dir + " for its metadata");
    }

    /**
     * Each dir's build requirements as the {@code build} frontend reads them, and those the interpreter
     * does not meet (what {@code python -m build --no-isolation} would refuse with "Missing dependencies"),
     * in one Python process that runs none of the projects' code: dir (as given) → {@code requires},
     * {@code unmet} (each a chain "a -> b" down to the unmet requirement), or {@code error}.
     */
    public Map<String, Map<String, Object>> buildRequirements(List<Path> dirs) {
        Map<String, Object> answer = ask("requires", dirs, 60, "check the build requirements of " + dirs.size() + " package(s)");
        if (answer.get("error") != null) {
            throw new InspectionException(interpreter + " could not check the build requirements: " + answer.get("error"),
                    "check that the interpreter (--python) has the build module (Debian: python3-build)");
        }
        return JSON.convertValue(answer, new TypeReference<Map<String, Map<String, Object>>>() { });
    }

    private Map<String, Object> ask(String mode, List<Path> dirs, int seconds, String what) {
        if (interpreter == null) {
            throw new InspectionException("Slipway needs Python to " + what, "point --python or SLIPWAY_PYTHON at the release's interpreter");
        }
        Path result = null;
        Path errors = null;
        try {
            result = Files.createTempFile("slipway-inspect-", ".json");
            errors = Files.createTempFile("slipway-inspect-", ".err");
            List<String> command = new ArrayList<>(List.of(interpreter, "-c", SCRIPT, mode, result.toString()));
            dirs.forEach(d -> command.add(d.toString()));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(dirs.get(0).toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile());
            Map<String, String> childEnv = pb.environment();
            childEnv.clear();
            env.forEach((k, v) -> {
                if (!k.startsWith("PIP_") && !k.startsWith("TWINE_")) {
                    childEnv.put(k, v);
                }
            });
            childEnv.put("PYTHONDONTWRITEBYTECODE", "1");
            childEnv.put("PIP_CONFIG_FILE", "/dev/null");
            Process process = pb.start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new InspectionException("Python took longer than " + seconds + " s to " + what,
                        "check that the project's setup.py does not wait for input or the network");
            }
            if (Files.size(result) == 0) {
                List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8);
                throw new InspectionException(interpreter + " could not " + what
                        + (lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1)), "check the interpreter (--python)");
            }
            return JSON.readValue(result.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new InspectionException("cannot run " + interpreter + " to " + what + ": " + e.getMessage(),
                    "install Python 3, or point --python or SLIPWAY_PYTHON at the release's interpreter");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InspectionException("interrupted while Python was asked to " + what, "run the command again");
        } finally {
            deleteQuietly(result);
            deleteQuietly(errors);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file; the OS cleans it up
            }
        }
    }

    private static String script() {
        try (InputStream in = PythonMetadata.class.getResourceAsStream("metadata.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
