package io.slipway.runner.approval;

import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.util.List;

/**
 * Built-in {@code confirm}: a manual acknowledgement ("migrations are squashed"). Asked at a
 * terminal; in a non-interactive run it needs {@code --approve ID}, unless the script declares it
 * automatic there.
 */
public final class ConfirmStep implements StepType {

    private final Approvals approvals;

    public ConfirmStep(Approvals approvals) {
        this.approvals = approvals;
    }

    @Override
    public String id() {
        return "confirm";
    }

    @Override
    public String description() {
        return "Asks a person to acknowledge something; non-interactive runs need --approve ID unless auto.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
                InputSpec.required("question", InputType.STRING, "what the person confirms"),
                InputSpec.optional("auto", InputType.BOOLEAN, false, "confirm automatically in non-interactive runs"));
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(new OutputSpec("decision", InputType.STRING, "approved"));
    }

    @Override
    public StepResult run(StepContext ctx) throws GateException {
        String gate = ctx.stepId().substring(ctx.stepId().indexOf('/') + 1);
        String question = ctx.string("question");
        approvals.decide(ctx, gate, question, (width, rows) -> List.of(question), List.of(), List.of(), ctx.bool("auto"));
        return StepResult.success("confirmed");
    }
}
