package io.slipway.runner.builtin;

import io.slipway.spi.ExecRequest;
import io.slipway.spi.ExecResult;
import io.slipway.spi.InputCheck;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Built-in {@code run}: a command line for the shell ({@code command}, as GitHub Actions' {@code run:}),
 * or an argument list run without a shell ({@code argv}), in the workspace or a given directory.
 */
public final class RunStep implements StepType {

    @Override
    public String id() {
        return "run";
    }

    @Override
    public String description() {
        return "Runs a shell command line (or an argument list, no shell) and fails when it exits non-zero.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
                InputSpec.optional("command", InputType.STRING, null,
                        "a command line for the shell (bash, else sh): VAR=x, &&, pipes and quotes work")
                        .withCheck(InputCheck.shellCommand()),
                InputSpec.optional("argv", InputType.LIST, null, "the program and its arguments, run without a shell"),
                InputSpec.optional("directory", InputType.STRING, null, "working directory relative to the workspace"),
                InputSpec.optional("timeout-seconds", InputType.INTEGER, 3600, "stop the command after this long")
                        .withCheck(InputCheck.range(1, Integer.MAX_VALUE)));
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(new OutputSpec("exit-code", InputType.INTEGER, "the command's exit code (0 unless continueOnError)"));
    }

    @Override
    public StepResult run(StepContext ctx) throws StepException {
        Optional<String> line = ctx.optionalString("command");
        List<String> argv = ctx.list("argv");
        if (line.isPresent() == !argv.isEmpty()) {
            throw new StepException("a run step needs exactly one of 'command' (a shell command line) and 'argv' (a list)",
                    "write run(\"id\", \"command line\") or run(\"id\", listOf(\"program\", \"arg\"))");
        }
        ExecRequest request = line.map(ExecRequest::shell).orElseGet(() -> ExecRequest.of(argv))
                .timeout(Duration.ofSeconds(ctx.integer("timeout-seconds")));
        ctx.optionalString("directory").ifPresent(d -> request.in(ctx.workspace().resolve(d)));
        ExecResult result = ctx.exec(request);
        ctx.output("exit-code", result.exitCode());
        if (!result.succeeded()) {
            return StepResult.failure("\"" + request.shown() + "\" exited with code " + result.exitCode(),
                    "read its output above; fix the cause and run the same command again to resume here");
        }
        return StepResult.success();
    }
}
