package io.slipway.runner.cli;

import io.slipway.runner.script.ScriptException;
import io.slipway.runner.script.ScriptHost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The runner as a user runs it, in a folder of its own: {@code runner args...} there, with this
 * JVM's environment except {@code CI}. Scripts compile into one cache shared by the tests; plugins
 * come only from {@code SLIPWAY_HOME} (an empty folder unless a test says otherwise), so the
 * runner's tests do not depend on the plugin modules.
 *
 * <p>{@link #run} runs it inside this JVM, through the entry point {@code bin/runner} runs
 * ({@link Main#run}, with the folder as its working directory), where the Kotlin compiler is
 * already warm. {@link #start} starts it as a separate JVM on this test's classpath, for what only
 * a process of its own shows: a signal, kill -9, a lock held by another process while this one
 * runs, a script that calls System.exit or never ends.
 */
public final class Runner {

    public static final Path CACHE = Path.of("target", "script-cache").toAbsolutePath();

    final Process process;
    final Path stdout;
    final Path stderr;

    private Runner(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs to the end (at most 3 minutes) inside this JVM and returns what it left. */
    public static Result run(Path dir, String... args) throws Exception {
        return run(dir, Map.of(), args);
    }

    public static Result run(Path dir, Map<String, String> env, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "runner-in-process");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Integer> exit = thread.submit(() -> Main.run(args, environment(dir, env), dir,
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
            return new Result(exit.get(3, TimeUnit.MINUTES), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            throw new AssertionError("the runner did not finish in 3 minutes; output:\n" + out.toString(StandardCharsets.UTF_8));
        } finally {
            thread.shutdownNow();
        }
    }

    /**
     * Starts the runner as a separate JVM. The script it names is compiled into the cache first, in
     * this JVM (warm), so that the process loads it from there as every run after a user's first does.
     */
    public static Runner start(Path dir, Map<String, String> env, String... args) throws IOException {
        compile(dir, args);
        // SIGINT as at a terminal: a build started in the background of a non-interactive shell (`mvn verify &`)
        // ignores it, every process it starts inherits that, and a JVM leaves an ignored SIGINT ignored.
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
        command.addAll(javaCommand());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Path out = Files.createTempFile(dir, "runner-", ".out");
        Path err = Files.createTempFile(dir, "runner-", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment(dir, env));
        return new Runner(pb.start(), out, err);
    }

    /** {@code java ... Main} with the options bin/runner gives it (C1 only, Serial GC, 256 MB), on this test's classpath. */
    public static List<String> javaCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    /** Compiles the script a command line names into the tests' cache, if it compiles; nothing is evaluated. */
    public static void compile(Path dir, String... args) {
        for (String script : List.of(args).stream().filter(a -> a.endsWith(".kts")).limit(1).toList()) {
            try {
                new ScriptHost(CACHE).compile(dir.resolve(script));
            } catch (ScriptException e) {
                // the runner reports it
            }
        }
    }

    /** This JVM's environment without CI and SLIPWAY_PLUGINS_DIR, with the tests' script cache and no plugins, and {@code extra}. */
    private static Map<String, String> environment(Path dir, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SLIPWAY_CACHE_DIR", CACHE.toString());
        env.put("SLIPWAY_HOME", dir.resolve(".no-plugins").toString());
        env.remove("CI");
        env.remove("SLIPWAY_PLUGINS_DIR");
        env.putAll(extra);
        return env;
    }

    /** Waits (at most 3 minutes) for the started runner to end and returns what it left. */
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
