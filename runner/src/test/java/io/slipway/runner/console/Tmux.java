package io.slipway.runner.console;

import io.slipway.runner.cli.Runner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The runner inside a real pseudo-terminal: a detached tmux session (on a socket of its own, so a
 * user's tmux is never touched) runs the runner's JVM as {@link Runner#start} does, with {@code CI}
 * unset and a UTF-8 locale; the screen is read with {@code capture-pane}, keys are typed with
 * {@code send-keys}, and every byte the runner writes to the terminal is kept in
 * {@link #transcript()}.
 */
final class Tmux implements AutoCloseable {

    /**
     * One tmux server per test JVM: a server ends with its last session, and one shared by the two
     * forks (or by another build on the machine) ended under a test that was just connecting to it.
     */
    private static final String SOCKET = "slipway-tests-" + ProcessHandle.current().pid();
    private static final long WAIT_SECONDS = 120;

    private final String session;
    private final Path exitFile;
    private final Path transcript;

    private Tmux(String session, Path exitFile, Path transcript) {
        this.session = session;
        this.exitFile = exitFile;
        this.transcript = transcript;
    }

    /** Starts {@code runner args...} in {@code dir} at a 200x50 terminal; {@code env} adds variables. */
    static Tmux start(Path dir, Map<String, String> env, String... args) throws Exception {
        return start(dir, env, 50, args);
    }

    /** As {@link #start(Path, Map, String...)}, at a terminal 200 columns wide and {@code rows} high. */
    static Tmux start(Path dir, Map<String, String> env, int rows, String... args) throws Exception {
        return start(dir, env, 200, rows, args);
    }

    /** As {@link #start(Path, Map, String...)}, at a terminal {@code columns} wide and {@code rows} high. */
    static Tmux start(Path dir, Map<String, String> env, int columns, int rows, String... args) throws Exception {
        String session = "slipway-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path exit = dir.resolve("runner.exit");
        List<String> command = new ArrayList<>(List.of("env", "-u", "CI", "-u", "GITHUB_ACTIONS", "-u", "NO_COLOR",
                "LANG=C.UTF-8", "SLIPWAY_CACHE_DIR=" + Runner.CACHE, "SLIPWAY_HOME=" + dir.resolve(".no-plugins")));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(Runner.javaCommand());
        command.addAll(List.of(args));
        Runner.compile(dir, args);
        // The session stays after the runner exits so that its last screen can still be read; the
        // runner waits for the transcript to be recorded, so that it misses nothing.
        Path script = dir.resolve("runner.sh");
        Path transcript = dir.resolve("terminal.out");
        Path recording = dir.resolve("recording");
        Files.deleteIfExists(exit); // a second runner in the same folder
        Files.deleteIfExists(recording);
        // Ctrl-C reaches the runner; the shell outlives it (a trap, not an ignore, which the runner would inherit).
        Files.writeString(script, "trap true INT\ncd " + quote(dir.toString()) + "\n"
                + "while [ ! -e " + quote(recording.toString()) + " ]; do sleep 0.05; done\n"
                + String.join(" ", command.stream().map(Tmux::quote).toList()) + "\n"
                + "echo $? > " + quote(exit + ".tmp") + " && mv " + quote(exit + ".tmp") + " " + quote(exit.toString()) + "\n"
                + "exec sleep 600\n", StandardCharsets.UTF_8);
        tmux("new-session", "-d", "-s", session, "-x", String.valueOf(columns), "-y", String.valueOf(rows), "sh " + quote(script.toString()));
        tmux("pipe-pane", "-o", "-t", session, "cat >> " + quote(transcript.toString()));
        Files.createFile(recording);
        return new Tmux(session, exit, transcript);
    }

    /** The visible screen, trailing blanks removed. */
    String screen() {
        try {
            return tmux("capture-pane", "-p", "-t", session).stripTrailing();
        } catch (IOException | InterruptedException e) {
            return "(cannot read the screen: " + e.getMessage() + ")";
        }
    }

    /** Waits until the screen shows {@code text} (failing soon after the runner has exited); returns the screen. */
    String waitFor(String text) throws Exception {
        return waitUntil(s -> s.contains(text), "\"" + text + "\"");
    }

    String waitUntil(Predicate<String> condition, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        String screen = screen();
        while (!condition.test(screen)) {
            if (Files.exists(exitFile)) {
                // tmux may not have drawn the last bytes the runner wrote yet (a busy machine): a little longer, then no more
                end = Math.min(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the terminal never showed " + what + "; it shows:\n" + screen);
            }
            Thread.sleep(100);
            screen = screen();
        }
        return screen;
    }

    /** Types a line and presses Enter. */
    void type(String line) throws Exception {
        tmux("send-keys", "-t", session, "-l", line);
        tmux("send-keys", "-t", session, "Enter");
    }

    /** Presses Ctrl-C. */
    void interrupt() throws Exception {
        tmux("send-keys", "-t", session, "C-c");
    }

    /** Waits for the runner to exit and returns its exit code. */
    int exitCode() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!Files.exists(exitFile)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the runner did not exit; the terminal shows:\n" + screen());
            }
            Thread.sleep(100);
        }
        return Integer.parseInt(Files.readString(exitFile).trim());
    }

    /** Everything the runner wrote to the terminal, escape sequences included. */
    String transcript() throws IOException {
        return Files.exists(transcript) ? Files.readString(transcript, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws Exception {
        tmux("kill-session", "-t", session);
    }

    private static String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-u", "-L", SOCKET, "-f", "/dev/null"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command.subList(0, Math.min(command.size(), 6))) + " failed: " + out);
        }
        return out;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
