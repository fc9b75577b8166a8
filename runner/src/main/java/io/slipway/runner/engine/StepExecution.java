package io.slipway.runner.engine;

import io.slipway.runner.journal.StepStatus;
import io.slipway.spi.InputSpec;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attempt of one step: journal it as running, call the step type, journal the result. Used by
 * the engine and by {@link io.slipway.runner.testing.StepHarness} alike.
 */
public final class StepExecution {

    /** What the attempt produced. */
    public record Outcome(StepResult result, Map<String, Object> outputs) {
    }

    private StepExecution() {
    }

    /**
     * @param inputs      resolved inputs ({@link Inputs#resolveAll})
     * @param fingerprint recorded when the step succeeds, to detect later that it went stale
     */
    public static Outcome attempt(RunScope scope, String stepId, StepType type, Map<String, Object> inputs,
                                  Map<String, String> env, String fingerprint) {
        Map<String, Object> shown = new LinkedHashMap<>();
        for (InputSpec spec : type.inputs()) {
            Object v = inputs.get(spec.name());
            if (spec.secret() && v != null) {
                scope.masker().add(v.toString());
                shown.put(spec.name(), "***");
            } else if (v != null) {
                shown.put(spec.name(), v instanceof String s ? scope.masker().mask(s) : v);
            }
        }
        scope.journal.updateStep(stepId, r -> {
            r.status = StepStatus.RUNNING;
            r.attempts++;
            r.started = Instant.now();
            r.ended = null;
            r.inputs = shown;
            r.message = null;
            r.hint = null;
        });
        RunningStep ctx = new RunningStep(scope, stepId, type.inputs(), inputs, env);
        StepResult result;
        try {
            result = type.run(ctx);
            if (result == null) {
                result = StepResult.failure("step type " + type.id() + " returned no result", "report this to the plugin's author");
            }
        } catch (StepException e) {
            result = StepResult.failure(e.getMessage(), e.hint());
        } catch (Exception | LinkageError e) {
            String what = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            result = StepResult.failure(what, "run with --debug for details; this may be a bug in step type " + type.id());
            scope.log.line(io.slipway.runner.console.RunLog.Level.DETAIL, stackTrace(e));
        }
        StepResult finalResult = result;
        Map<String, Object> outputs = Masking.outputs(scope.masker(), ctx.outputs());
        scope.journal.updateStep(stepId, r -> {
            r.ended = Instant.now();
            r.message = scope.masker().mask(finalResult.message());
            r.hint = scope.masker().mask(finalResult.hint());
            switch (finalResult.status()) {
                case SUCCEEDED -> {
                    r.status = StepStatus.SUCCEEDED;
                    r.outputs = outputs;
                    r.fingerprint = fingerprint;
                }
                case SKIPPED -> {
                    r.status = StepStatus.SKIPPED;
                    r.outputs = outputs;
                    r.fingerprint = fingerprint;
                }
                case FAILED -> r.status = StepStatus.FAILED;
            }
        });
        return new Outcome(finalResult, outputs);
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
