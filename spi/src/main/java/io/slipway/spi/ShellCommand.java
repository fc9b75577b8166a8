package io.slipway.spi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A command line run by a shell, as GitHub Actions {@code run:} steps and release-it hooks run
 * theirs: environment assignments, {@code &&}, pipes and quotes work. The shell is {@code bash}
 * where it is installed, else {@code sh}.
 */
public final class ShellCommand {

    private static final String SHELL = Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash"
            : Files.isExecutable(Path.of("/usr/bin/bash")) ? "/usr/bin/bash" : "/bin/sh";

    private ShellCommand() {
    }

    /** The shell's path, e.g. {@code /bin/bash}. */
    public static String shell() {
        return SHELL;
    }

    /** The argv that runs {@code line}: {@code [shell, -c, line]}. */
    public static List<String> argv(String line) {
        return List.of(SHELL, "-c", line);
    }

    /** Why the shell cannot parse {@code line} ({@code sh -n}), or empty when it can. */
    public static Optional<String> syntaxProblem(String line) {
        try {
            Process p = new ProcessBuilder(SHELL, "-n", "-c", line).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            if (p.exitValue() == 0) {
                return Optional.empty();
            }
            // "/bin/bash: -c: line 1: unexpected EOF while looking for matching `''" -> the part after the location
            String last = err.lines().reduce((a, b) -> b).orElse("exit code " + p.exitValue());
            return Optional.of(last.replaceFirst("^.*?line \\d+: ", ""));
        } catch (IOException e) {
            return Optional.of("cannot be checked: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
