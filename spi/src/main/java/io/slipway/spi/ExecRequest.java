package io.slipway.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A subprocess for {@link StepContext#exec}. Arguments are passed as they are, without a shell,
 * unless the request is made with {@link #shell}.
 * Secrets go into the environment with {@link #secretEnv}, never into the arguments.
 *
 * <pre>{@code
 * ctx.exec(ExecRequest.of(python, "-m", "twine", "upload", file.toString())
 *         .in(ctx.workspace())
 *         .unsetEnvPrefix("TWINE_")
 *         .secretEnv("TWINE_PASSWORD", token)
 *         .timeout(Duration.ofMinutes(5)));
 * }</pre>
 */
public final class ExecRequest {

    private final List<String> command;
    private Path directory;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> unsetPrefixes = new ArrayList<>();
    private final List<String> secretNames = new ArrayList<>();
    private Duration timeout = Duration.ofMinutes(30);
    private String label;
    private String shown;

    private ExecRequest(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program");
        }
        this.command = List.copyOf(command);
    }

    public static ExecRequest of(String... command) {
        return new ExecRequest(List.of(command));
    }

    public static ExecRequest of(List<String> command) {
        return new ExecRequest(command);
    }

    /**
     * A command line for the shell ({@link ShellCommand}): {@code VAR=x make test && echo ok} works as
     * in a terminal. The log shows the line as given.
     */
    public static ExecRequest shell(String commandLine) {
        ExecRequest request = new ExecRequest(ShellCommand.argv(commandLine));
        request.shown = commandLine;
        return request;
    }

    /** The working directory; the pipeline's workspace when not set. */
    public ExecRequest in(Path directory) {
        this.directory = directory;
        return this;
    }

    /** Sets a variable on top of the pipeline's environment. */
    public ExecRequest env(String name, String value) {
        env.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return this;
    }

    /** Sets a variable whose value is masked wherever the process output shows it. */
    public ExecRequest secretEnv(String name, String value) {
        env(name, value);
        secretNames.add(name);
        return this;
    }

    /**
     * Removes every inherited variable whose name starts with the prefix, before {@link #env}
     * values are applied; e.g. {@code "PIP_"} so a machine's pip settings do not leak in.
     */
    public ExecRequest unsetEnvPrefix(String prefix) {
        unsetPrefixes.add(Objects.requireNonNull(prefix));
        return this;
    }

    /** The process is killed and the call fails when it runs longer. Default 30 minutes. */
    public ExecRequest timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        return this;
    }

    /**
     * Prefixes each output line in the log with {@code [label]}, so the output of subprocesses a step
     * runs in parallel (one build per package) stays readable.
     */
    public ExecRequest label(String label) {
        this.label = label;
        return this;
    }

    /** The label, or {@code null}. */
    public String label() {
        return label;
    }

    public List<String> command() {
        return command;
    }

    /** The command as the log shows it: a shell command line as given, else the arguments joined by spaces. */
    public String shown() {
        return shown != null ? shown : String.join(" ", command);
    }

    public Path directory() {
        return directory;
    }

    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    public List<String> unsetEnvPrefixes() {
        return List.copyOf(unsetPrefixes);
    }

    /** Names of variables set with {@link #secretEnv}. */
    public List<String> secretEnvNames() {
        return List.copyOf(secretNames);
    }

    public Duration timeout() {
        return timeout;
    }
}
