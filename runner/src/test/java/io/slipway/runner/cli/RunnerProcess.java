package io.slipway.runner.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the runner as a separate JVM, as a user would, on this test's classpath. Scripts compile
 * into one cache shared by the tests; plugins come only from {@code SLIPWAY_HOME} (an empty folder
 * unless a test says otherwise), so the runner's tests do not depend on the plugin modules.
 */
public final class RunnerProcess {

    static final Path CACHE = Path.of("target", "script-cache").toAbsolutePath();

    final Process process;
    final Path stdout;
    final Path stderr;

    private RunnerProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static RunnerProcess start(Path dir, Map<String, String> extraEnv, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Path out = Files.createTempFile(dir, "runner-", ".out");
        Path err = Files.createTempFile(dir, "runner-", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("SLIPWAY_CACHE_DIR", CACHE.toString());
        env.put("SLIPWAY_HOME", dir.resolve(".no-plugins").toString());
        env.remove("CI");
        env.remove("SLIPWAY_PLUGINS_DIR");
        env.putAll(extraEnv);
        return new RunnerProcess(pb.start(), out, err);
    }

    /** Runs to the end (at most 3 minutes) and returns the exit code. */
    public static Result run(Path dir, String... args) throws Exception {
        return run(dir, Map.of(), args);
    }

    public static Result run(Path dir, Map<String, String> env, String... args) throws Exception {
        return start(dir, env, args).await();
    }

    public Result await() throws Exception {
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the runner did not finish in 3 minutes; output:\n" + Files.readString(stdout));
        }
        return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** What a finished runner left: exit code, stdout, stderr. */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Lines in a file, or 0 if it does not exist: how often a step's side effect happened. */
    static long lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    static void waitFor(Path file, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(file) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        if (!Files.exists(file)) {
            throw new AssertionError("gave up waiting for " + file);
        }
    }
}
