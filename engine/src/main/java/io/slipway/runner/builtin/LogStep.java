package io.slipway.runner.builtin;

import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.util.List;

/** Built-in {@code log}: writes a line to the console and the release log. */
public final class LogStep implements StepType {

    @Override
    public String id() {
        return "log";
    }

    @Override
    public String description() {
        return "Writes a message to the console and the release log.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.required("message", InputType.STRING, "the line to write"));
    }

    @Override
    public StepResult run(StepContext ctx) {
        ctx.log().info(ctx.string("message"));
        return StepResult.success();
    }
}
