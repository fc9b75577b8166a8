package io.slipway.runner.engine;

import io.slipway.runner.approval.GateException;
import io.slipway.runner.journal.StepStatus;
import io.slipway.spi.InputSpec;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One attempt of one step: journal it as running, call the step type, journal the result. Used by
 * the engine and by {@link io.slipway.runner.testing.StepHarness} alike.
 */
public final class StepExecution {

    /**
     * What the attempt produced.
     *
     * @param gate for an approval or confirmation that did not pass: waiting or rejected; else {@code null}
     */
    public record Outcome(StepResult result, Map<String, Object> outputs, GateException.Kind gate) {
    }

    private StepExecution() {
    }

    /**
     * @param inputs      resolved inputs ({@link Inputs#resolveAll})
     * @param fingerprint recorded when the step succeeds, with the type's state after the run, to
     *                    detect later that it went stale
     * @param timeout     {@code null} for none; a step running longer fails and its subprocesses are killed
     */
    public static Outcome attempt(RunScope scope, String stepId, StepType type, Map<String, Object> inputs,
                                  Map<String, String> env, String fingerprint, Duration timeout) {
        Map<String, Object> shown = new LinkedHashMap<>();
        for (InputSpec spec : type.inputs()) {
            Object v = inputs.get(spec.name());
            if (spec.secret() && v != null) {
                scope.masker().add(v.toString());
                shown.put(spec.name(), "***");
            } else if (v != null) {
                shown.put(spec.name(), Masking.value(scope.masker(), v));
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
        Exec exec = scope.newExec();
        RunningStep ctx = new RunningStep(scope, stepId, type.inputs(), inputs, env, exec);
        StepResult result;
        GateException.Kind gate = null;
        try {
            result = timeout == null ? type.run(ctx) : runWithin(type, ctx, exec, timeout);
            if (result == null) {
                result = StepResult.failure("step type " + type.id() + " returned no result", "report this to the plugin's author");
            }
        } catch (GateException e) {
            result = StepResult.failure(e.getMessage(), e.hint());
            gate = e.kind();
        } catch (StepException e) {
            result = StepResult.failure(e.getMessage(), e.hint());
        } catch (Exception | LinkageError e) {
            String what = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            result = StepResult.failure(what, "run with --debug for details; this may be a bug in step type " + type.id());
            scope.log.line(io.slipway.runner.console.RunLog.Level.DETAIL, stackTrace(e));
        } finally {
            scope.release(exec);
        }
        StepResult finalResult = result;
        String recorded = result.status() == StepResult.Status.FAILED ? fingerprint
                : Fingerprint.withState(fingerprint, state(scope, ctx, type));
        boolean waiting = gate == GateException.Kind.WAITING;
        Map<String, Object> outputs = Masking.outputs(scope.masker(), ctx.outputs());
        scope.journal.updateStep(stepId, r -> {
            r.ended = Instant.now();
            r.message = scope.masker().mask(finalResult.message());
            r.hint = scope.masker().mask(finalResult.hint());
            switch (finalResult.status()) {
                case SUCCEEDED -> {
                    r.status = StepStatus.SUCCEEDED;
                    r.outputs = outputs;
                    r.fingerprint = recorded;
                }
                case SKIPPED -> {
                    r.status = StepStatus.SKIPPED;
                    r.outputs = outputs;
                    r.fingerprint = recorded;
                }
                case FAILED -> r.status = waiting ? StepStatus.WAITING : StepStatus.FAILED;
            }
        });
        return new Outcome(finalResult, outputs, gate);
    }

    /**
     * The fingerprint a step would record if it ran now with these inputs: the engine compares it
     * with the recorded one before it skips a step that succeeded in an earlier run.
     */
    public static String currentFingerprint(RunScope scope, String stepId, StepType type, Map<String, Object> inputs,
                                            Map<String, String> env, String fingerprint) {
        Exec exec = scope.newExec();
        try {
            return Fingerprint.withState(fingerprint, state(scope, new RunningStep(scope, stepId, type.inputs(), inputs, env, exec), type));
        } finally {
            scope.release(exec);
        }
    }

    /** The type's state; one that cannot be told is unknown, which matches no record, so the step runs again. */
    private static String state(RunScope scope, RunningStep ctx, StepType type) {
        try {
            return type.state(ctx);
        } catch (Exception | LinkageError e) {
            scope.log.line(io.slipway.runner.console.RunLog.Level.DETAIL, "cannot tell the state of " + type.id() + ": " + e);
            return "unknown " + UUID.randomUUID();
        }
    }

    private static StepResult runWithin(StepType type, RunningStep ctx, Exec exec, Duration timeout) throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "slipway-step");
            t.setDaemon(true);
            return t;
        });
        Future<StepResult> f = single.submit(() -> type.run(ctx));
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exec.cancelAll();
            f.cancel(true);
            throw new StepException("the step ran longer than its timeout of " + timeout.toSeconds() + " s and was stopped",
                    "raise its timeout in release.kts if it needs longer");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        } finally {
            single.shutdownNow();
        }
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
