package io.slipway.distribution;

import io.slipway.spi.UrlCredentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code bin/runner} of the assembled distribution, started as a separate process the way a user
 * starts it, with none of this machine's CI, pip or twine settings in its environment.
 */
final class Runner {

    static final Path HOME = Path.of(System.getProperty("slipway.home", "target/slipway")).toAbsolutePath();
    /** The Debian interpreter: it has build, twine, venv and pytest (the first python3 on PATH may not). */
    static final String PYTHON = "/usr/bin/python3";
    /** Demo-style credentials: the approval's credential policy accepts them and the local index takes any. */
    static final Map<String, String> CREDENTIALS = Map.of("TWINE_USERNAME", "it", "TWINE_PASSWORD", "it-secret-4711");
    private static final Duration LIMIT = Duration.ofMinutes(5);

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private Runner(Process process, String label) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    // Echoed, so target/failsafe-reports/*-output.txt has every run's console.
                    System.out.println(label + " " + line);
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "runner-output");
        reader.start();
    }

    /** Starts {@code bin/runner args} in dir; extraEnv comes on top of the clean environment. */
    static Runner start(Path dir, Map<String, String> extraEnv, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin/runner").toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.equals("CI") || k.startsWith("PIP_") || k.startsWith("TWINE_"));
        env.put("PIP_CONFIG_FILE", "/dev/null");
        // One compile cache for every run of the tests: release.kts is compiled once, not per run.
        env.put("SLIPWAY_CACHE_DIR", HOME.resolveSibling("it-script-cache").toString());
        env.putAll(extraEnv);
        System.out.println("$ " + UrlCredentials.strip(String.join(" ", command)) + "   (in " + dir + ")");
        return new Runner(pb.start(), "[" + args.get(0).replaceAll(".*/", "") + "]");
    }

    /** Runs bin/runner to its end. */
    static Result run(Path dir, Map<String, String> extraEnv, List<String> args) throws Exception {
        return start(dir, extraEnv, args).await();
    }

    /** Waits until a console line matches; false if the runner ended or the limit passed first. */
    boolean awaitLine(Predicate<String> wanted) throws InterruptedException {
        return awaitLine(wanted, LIMIT);
    }

    /** Waits at most {@code limit} until a console line matches; false if the runner ended or the limit passed first. */
    boolean awaitLine(Predicate<String> wanted, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        int seen = 0;
        synchronized (lines) {
            while (System.nanoTime() < deadline) {
                for (; seen < lines.size(); seen++) {
                    if (wanted.test(lines.get(seen))) {
                        return true;
                    }
                }
                if (!process.isAlive() && !reader.isAlive()) {
                    return false;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left > 0) {
                    lines.wait(Math.min(200, left));
                }
            }
        }
        return false;
    }

    /**
     * kill -9 of the runner and of every process it started, as when a machine or container dies:
     * an orphaned build or upload would otherwise go on writing while the next run starts.
     */
    Result crash() throws Exception {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle child : children) {
            child.onExit().get(30, TimeUnit.SECONDS);
        }
        return await();
    }

    Result await() throws Exception {
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the runner did not end within " + LIMIT);
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        synchronized (lines) {
            return new Result(process.exitValue(), List.copyOf(lines));
        }
    }

    /** A finished run: exit code and console lines (stdout and stderr together). */
    record Result(int exit, List<String> lines) {

        String output() {
            return String.join("\n", lines);
        }

        boolean has(String text) {
            return lines.stream().anyMatch(l -> l.contains(text));
        }

        long count(Predicate<String> p) {
            return lines.stream().filter(p).count();
        }

        /** For assertion messages: the lines that are not subprocess output (those are indented). */
        String summary() {
            return "exit " + exit + "\n" + String.join("\n", lines.stream()
                    .filter(l -> !l.startsWith("  ") || l.contains("publish/") || l.contains("already") || l.contains("] built"))
                    .toList());
        }
    }
}
