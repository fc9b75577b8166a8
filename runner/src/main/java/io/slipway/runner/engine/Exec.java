package io.slipway.runner.engine;

import io.slipway.runner.console.Masker;
import io.slipway.spi.ExecRequest;
import io.slipway.spi.ExecResult;
import io.slipway.spi.StepException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * Runs subprocesses for steps through Apache Commons Exec: no shell, a watchdog for the timeout,
 * output streamed line by line (masked) to a consumer, and every running process killed when the
 * run is interrupted.
 */
public final class Exec {

    private final Masker masker;
    private final Set<ExecuteWatchdog> running = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    public boolean cancelled() {
        return cancelled;
    }

    public Exec(Masker masker) {
        this.masker = masker;
    }

    /** Kills every running subprocess; later calls fail at once. */
    public void cancelAll() {
        cancelled = true;
        running.forEach(ExecuteWatchdog::destroyProcess);
    }

    public ExecResult run(ExecRequest request, Path defaultDir, Map<String, String> baseEnv, Consumer<String> lines)
            throws StepException {
        if (cancelled) {
            throw new StepException("the run was interrupted", null);
        }
        Map<String, String> env = new HashMap<>(baseEnv);
        env.keySet().removeIf(k -> request.unsetEnvPrefixes().stream().anyMatch(k::startsWith));
        env.putAll(request.env());
        request.secretEnvNames().forEach(n -> masker.add(request.env().get(n)));

        List<String> command = request.command();
        CommandLine cl = new CommandLine(command.get(0));
        command.subList(1, command.size()).forEach(a -> cl.addArgument(a, false));
        Path dir = request.directory() != null ? request.directory() : defaultDir;

        List<String> output = Collections.synchronizedList(new ArrayList<>());
        LogOutputStream sink = new LogOutputStream() {
            @Override
            protected void processLine(String line, int level) {
                String masked = masker.mask(line);
                output.add(masked);
                lines.accept(masked);
            }
        };
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(request.timeout()).get();
        DefaultExecutor executor = DefaultExecutor.builder().setWorkingDirectory(dir.toFile()).get();
        executor.setExitValues(null);
        executor.setWatchdog(watchdog);
        executor.setStreamHandler(new PumpStreamHandler(sink, sink));
        running.add(watchdog);
        int exit;
        try {
            exit = executor.execute(cl, env);
        } catch (IOException e) {
            throw new StepException("cannot run '" + command.get(0) + "': " + masker.mask(e.getMessage()),
                    "check that the program is installed and on PATH");
        } finally {
            running.remove(watchdog);
            try {
                sink.close();
            } catch (IOException ignored) {
                // Closing flushes a last partial line; nothing to do if that fails.
            }
        }
        if (cancelled) {
            throw new StepException("the run was interrupted while '" + command.get(0) + "' was running", null);
        }
        if (watchdog.killedProcess()) {
            throw new StepException("'" + String.join(" ", command) + "' ran longer than " + request.timeout().toSeconds()
                    + " s and was stopped", "raise the step's timeout if it needs longer");
        }
        return new ExecResult(exit, output);
    }
}
