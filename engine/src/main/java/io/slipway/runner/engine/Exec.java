package io.slipway.runner.engine;

import io.slipway.runner.console.Masker;
import io.slipway.spi.ExecRequest;
import io.slipway.spi.ExecResult;
import io.slipway.spi.StepException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * Runs subprocesses for steps through Apache Commons Exec: no shell, a deadline for the timeout,
 * output streamed line by line (masked, without colour codes) to a consumer, and every running
 * process killed when the run is interrupted.
 */
public final class Exec {

    /** How long a subprocess may be silent before the log says it is still running. */
    static final Duration HEARTBEAT = Duration.ofSeconds(30);

    /**
     * Variables that make tools colour output that is not a terminal. {@code FORCE_COLOR=0} would not
     * do instead: rich (pip, twine) forces a terminal when FORCE_COLOR has any value at all.
     */
    private static final List<String> COLOUR_FORCING = List.of("FORCE_COLOR", "CLICOLOR_FORCE", "PY_COLORS");
    /** Escape sequences (CSI such as colours, OSC such as links, and two-character ones) tools print anyway. */
    private static final Pattern ESCAPES = Pattern.compile("\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)|[@-Z\\\\-_])");

    private final Masker masker;
    /** One timer for every subprocess deadline of the run. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slipway-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;
    /** A child ended with 130, as Ctrl-C at the terminal ends one: the run's own interrupt may be a moment behind. */
    private volatile boolean childEndedByCtrlC;

    public Exec(Masker masker) {
        this.masker = masker;
    }

    /** Kills every running subprocess; later calls fail at once. */
    /** Whether a child ended as Ctrl-C at the terminal ends one (exit 130). */
    public boolean childEndedByCtrlC() {
        return childEndedByCtrlC;
    }

    public void cancelAll() {
        cancelled = true;
        running.forEach(Exec::killTree);
    }

    /**
     * Kills a process and everything it started: a shell's children would otherwise keep the output
     * pipe open and the step waiting.
     */
    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** @param timeoutHint what the user can do when the request's timeout stops the command */
    public ExecResult run(ExecRequest request, Path defaultDir, Map<String, String> baseEnv, Consumer<String> lines,
                          String timeoutHint) throws StepException {
        if (cancelled) {
            throw new StepException("the run was interrupted", null);
        }
        Map<String, String> env = new HashMap<>(baseEnv);
        env.keySet().removeIf(k -> request.unsetEnvPrefixes().stream().anyMatch(k::startsWith));
        // The output goes to the log and the console as plain lines (https://no-color.org).
        env.keySet().removeAll(COLOUR_FORCING);
        env.put("NO_COLOR", "1");
        env.putAll(request.env());
        request.secretEnvNames().forEach(n -> masker.add(request.env().get(n)));

        List<String> command = request.command();
        CommandLine cl = new CommandLine(command.get(0));
        command.subList(1, command.size()).forEach(a -> cl.addArgument(a, false));
        Path dir = request.directory() != null ? request.directory() : defaultDir;

        List<String> output = new ArrayList<>();
        AtomicLong lastOutput = new AtomicLong(System.nanoTime());
        // One line splitter per stream: a splitter shared by the stdout and stderr pumps interleaves bytes
        // within a line, and a secret split across two lines escapes the masker. Lines meet here, one at a time.
        Consumer<String> emit = line -> {
            synchronized (output) {
                String masked = masker.mask(ESCAPES.matcher(line).replaceAll(""));
                output.add(masked);
                lines.accept(masked);
                lastOutput.set(System.nanoTime());
            }
        };
        LogOutputStream out = lineSplitter(emit);
        LogOutputStream err = lineSplitter(emit);
        String shown = masker.mask(request.shown());
        AtomicBoolean timedOut = new AtomicBoolean();
        List<ScheduledFuture<?>> deadline = new ArrayList<>(1);
        @SuppressWarnings("deprecation") // the builder cannot make a subclass, and launch() is where the Process is
        DefaultExecutor executor = new DefaultExecutor() {
            @Override
            protected Process launch(CommandLine command, Map<String, String> env, File dir) throws IOException {
                Process p = super.launch(command, env, dir);
                running.add(p);
                deadline.add(DEADLINES.schedule(() -> {
                    timedOut.set(true);
                    killTree(p);
                }, request.timeout().toMillis(), TimeUnit.MILLISECONDS));
                deadline.add(DEADLINES.scheduleAtFixedRate(() -> {
                    long silent = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lastOutput.get());
                    if (silent >= HEARTBEAT.toSeconds()) {
                        lines.accept("… still running '" + shown + "' (no output for " + silent + " s; timeout "
                                + request.timeout().toSeconds() + " s)");
                    }
                }, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS));
                if (cancelled) {
                    killTree(p);
                }
                return p;
            }
        };
        executor.setWorkingDirectory(dir.toFile());
        executor.setExitValues(null);
        executor.setStreamHandler(new PumpStreamHandler(out, err));
        int exit;
        try {
            exit = executor.execute(cl, env);
        } catch (IOException e) {
            throw new StepException("cannot run '" + masker.mask(command.get(0)) + "': " + masker.mask(e.getMessage()),
                    "check that the program is installed and on PATH");
        } finally {
            deadline.forEach(f -> f.cancel(false));
            running.removeIf(p -> !p.isAlive());
            closeQuietly(out);
            closeQuietly(err);
        }
        if (exit == 130) {
            childEndedByCtrlC = true;
        }
        if (cancelled) {
            throw new StepException("the run was interrupted while '" + shown + "' was running", null);
        }
        if (timedOut.get()) {
            throw new StepException("'" + shown + "' ran longer than " + request.timeout().toSeconds()
                    + " s and was stopped", timeoutHint);
        }
        return new ExecResult(exit, output);
    }

    private static LogOutputStream lineSplitter(Consumer<String> lines) {
        return new LogOutputStream() {
            @Override
            protected void processLine(String line, int level) {
                // Python's rich (twine's log records) pads every line to the console width.
                lines.accept(line.stripTrailing());
            }
        };
    }

    private static void closeQuietly(LogOutputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // Closing flushes a last partial line; nothing to do if that fails.
        }
    }
}
