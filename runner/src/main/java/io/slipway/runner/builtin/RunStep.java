package io.slipway.runner.builtin;

import io.slipway.spi.ExecRequest;
import io.slipway.spi.ExecResult;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.exec.CommandLine;

/** Built-in {@code run}: one command, no shell, in the workspace or a given directory. */
public final class RunStep implements StepType {

    @Override
    public String id() {
        return "run";
    }

    @Override
    public String description() {
        return "Runs a command (no shell) and fails when it exits non-zero.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
                InputSpec.required("command", InputType.STRING, "the command line; quote arguments containing spaces"),
                InputSpec.optional("directory", InputType.STRING, null, "working directory relative to the workspace"),
                InputSpec.optional("timeout-seconds", InputType.INTEGER, 3600, "stop the command after this long"));
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(new OutputSpec("exit-code", InputType.INTEGER, "the command's exit code (0 unless continueOnError)"));
    }

    @Override
    public StepResult run(StepContext ctx) throws StepException {
        String line = ctx.string("command");
        CommandLine parsed;
        try {
            parsed = CommandLine.parse(line);
        } catch (IllegalArgumentException e) {
            throw new StepException("cannot parse the command \"" + line + "\": " + e.getMessage(), "check its quotes");
        }
        List<String> command = new java.util.ArrayList<>();
        command.add(parsed.getExecutable());
        command.addAll(Arrays.stream(parsed.getArguments()).map(RunStep::unquote).toList());
        ExecRequest request = ExecRequest.of(command).timeout(Duration.ofSeconds(ctx.integer("timeout-seconds")));
        ctx.optionalString("directory").ifPresent(d -> request.in(ctx.workspace().resolve(d)));
        ExecResult result = ctx.exec(request);
        ctx.output("exit-code", result.exitCode());
        if (!result.succeeded()) {
            return StepResult.failure("\"" + line + "\" exited with code " + result.exitCode(),
                    "read its output above; fix the cause and run the same command again to resume here");
        }
        return StepResult.success();
    }

    /** Commons Exec keeps the quotes of a quoted argument; the program should not see them. */
    private static String unquote(String arg) {
        if (arg.length() >= 2 && (arg.startsWith("\"") && arg.endsWith("\"") || arg.startsWith("'") && arg.endsWith("'"))) {
            return arg.substring(1, arg.length() - 1);
        }
        return arg;
    }
}
