package io.slipway.spi;

import java.util.List;

/**
 * What a subprocess did.
 *
 * @param exitCode the process's exit code
 * @param output   stdout and stderr interleaved as lines, secrets masked
 */
public record ExecResult(int exitCode, List<String> output) {

    public ExecResult {
        output = List.copyOf(output);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The last {@code n} lines of output joined with newlines, for error messages. */
    public String tail(int n) {
        return String.join("\n", output.subList(Math.max(0, output.size() - n), output.size()));
    }

    /**
     * Returns this result if the exit code is 0, otherwise throws a {@link StepException} naming
     * {@code what} and quoting the last lines of output.
     */
    public ExecResult requireSuccess(String what, String hint) throws StepException {
        if (!succeeded()) {
            throw new StepException(what + " failed with exit code " + exitCode + ":\n" + tail(15), hint);
        }
        return this;
    }
}
