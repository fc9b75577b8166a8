package io.slipway.runner.engine;

import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.util.Map;

/**
 * One step type run outside a pipeline, the way the engine runs each step of one: inputs checked
 * against the type's declarations, an attempt on a thread of its own, journaled. The one door the
 * testkit's {@code StepHarness} uses; the rest of the engine is not API.
 */
public final class SingleStep {

    /** What one attempt ended with, the outputs it set, and whether it ended because the run was interrupted. */
    public record Attempt(StepResult result, Map<String, Object> outputs, boolean interrupted) {
    }

    private final RunScope scope;
    private final String stepId;
    private final StepType type;
    private final Map<String, Object> inputs;
    private final String fingerprint;

    /**
     * @param given       input values by name, as a script would give them
     * @param fingerprint stands for everything fixed about the step; the type's state is added to it
     * @throws IllegalArgumentException naming the first unknown, missing or ill-typed input
     */
    public SingleStep(RunScope scope, String stepId, StepType type, Map<String, Object> given, String fingerprint) {
        this.scope = scope;
        this.stepId = stepId;
        this.type = type;
        this.inputs = Inputs.resolveAll(type.inputs(), given);
        this.fingerprint = fingerprint;
    }

    public Attempt attempt() {
        StepExecution.Outcome o = StepExecution.attempt(new StepRun(scope, stepId), scope, type, inputs, Map.of(), fingerprint, null);
        return new Attempt(o.result(), o.outputs(), o.end() == StepRun.State.INTERRUPTED);
    }

    /** Interrupts the attempt under way, as the runner does at the first Ctrl-C. */
    public void interrupt() {
        scope.cancel();
    }

    /** The fingerprint the step would record if it ran now: equal to the recorded one when it is still done. */
    public String currentFingerprint() {
        return StepExecution.currentFingerprint(scope, stepId, type, inputs, Map.of(), fingerprint);
    }
}
