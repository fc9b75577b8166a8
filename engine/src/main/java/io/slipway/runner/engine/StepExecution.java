package io.slipway.runner.engine;

import io.slipway.runner.approval.GateException;
import io.slipway.spi.InputSpec;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.time.Duration;
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
 * One attempt of one step: call the step type on a thread of its own (stopped by the run's
 * cancellation and by the step's timeout), and move its {@link StepRun} from running to how the
 * attempt ended. Used by the engine and by {@link SingleStep} alike.
 */
final class StepExecution {

    /** How long a step's thread may take to end after it was interrupted, before the run stops waiting for it. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** How long a step whose child ended by Ctrl-C waits for the run's interrupt before it counts as failed. */
    private static final Duration CTRL_C_GRACE = Duration.ofSeconds(2);

    /**
     * What the attempt produced.
     *
     * @param end       how the step stands now: succeeded, skipped, failed, interrupted, waiting or rejected
     * @param retryable false when the step's code did not stop after its timeout: a retry would run beside it
     */
    record Outcome(StepRun.State end, StepResult result, Map<String, Object> outputs, boolean retryable) {
    }

    private StepExecution() {
    }

    /**
     * @param inputs      resolved inputs ({@link Inputs#resolveAll})
     * @param fingerprint recorded when the step succeeds, with the type's state after the run, to
     *                    detect later that it went stale
     * @param timeout     {@code null} for none; a step running longer fails and its subprocesses are killed
     */
    static Outcome attempt(StepRun run, RunScope scope, StepType type, Map<String, Object> inputs,
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
        run.start(shown);
        Exec exec = scope.newExec();
        RunningStep ctx = new RunningStep(scope, run.address(), type, inputs, env, exec);
        StepResult result;
        StepRun.State end = null;
        boolean retryable = true;
        try {
            result = runOnItsThread(scope, type, ctx, exec, timeout);
            if (result == null) {
                result = StepResult.failure("step type " + type.id() + " returned no result", "report this to the plugin's author");
            }
        } catch (GateException e) {
            result = StepResult.failure(e.getMessage(), e.hint());
            end = switch (e.kind()) {
                case WAITING -> StepRun.State.WAITING;
                case REJECTED -> StepRun.State.REJECTED;
                case CANCELLED -> {
                    scope.cancel(); // Ctrl-C at the prompt stops the run like Ctrl-C anywhere else
                    yield StepRun.State.INTERRUPTED;
                }
            };
        } catch (StuckException e) {
            result = StepResult.failure(e.getMessage(), e.hint());
            retryable = false;
        } catch (StepException e) {
            result = StepResult.failure(e.getMessage(), e.hint());
        } catch (Exception | LinkageError e) {
            String what = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            result = StepResult.failure(what, "run with --debug for details; this may be a bug in step type " + type.id());
            scope.log.line(io.slipway.runner.console.RunLog.Level.DETAIL, stackTrace(e));
        } finally {
            scope.release(exec);
        }
        if (end == null) {
            end = switch (result.status()) {
                case SUCCEEDED -> StepRun.State.SUCCEEDED;
                case SKIPPED -> StepRun.State.SKIPPED;
                case FAILED -> interrupted(scope, exec) ? StepRun.State.INTERRUPTED : StepRun.State.FAILED;
            };
        }
        String recorded = end == StepRun.State.SUCCEEDED || end == StepRun.State.SKIPPED
                ? Fingerprint.withState(fingerprint, state(scope, ctx, type)) : null;
        Map<String, Object> outputs = Masking.outputs(scope.masker(), ctx.outputs());
        run.finish(end, result.message(), result.hint(), outputs, recorded);
        return new Outcome(end, result, outputs, retryable);
    }

    /**
     * Whether a failed attempt failed because the run was interrupted. Ctrl-C at a terminal reaches
     * the step's child processes and the runner at once; a child that ended by it (exit 130) may
     * end the attempt before the runner's own interrupt has arrived, so that case waits for it a
     * moment, rather than record a failure the user did not have.
     */
    private static boolean interrupted(RunScope scope, Exec exec) {
        long until = System.nanoTime() + (exec.childEndedByCtrlC() ? CTRL_C_GRACE.toNanos() : 0);
        while (!scope.cancelled() && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return scope.cancelled();
    }

    /**
     * The fingerprint a step would record if it ran now with these inputs: the engine compares it
     * with the recorded one before it skips a step that succeeded in an earlier run.
     */
    static String currentFingerprint(RunScope scope, String stepId, StepType type, Map<String, Object> inputs,
                                     Map<String, String> env, String fingerprint) {
        Exec exec = scope.newExec();
        try {
            return Fingerprint.withState(fingerprint, state(scope, new RunningStep(scope, stepId, type, inputs, env, exec), type));
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

    /** The step's code did not end within {@link #STOP_GRACE} after it was interrupted. */
    private static final class StuckException extends StepException {
        StuckException(String message, String hint) {
            super(message, hint);
        }
    }

    /**
     * Calls the step type on a thread of its own, so that a cancelled run or a timeout can interrupt
     * it (blocking I/O in a step must be interruptible, or poll {@code ctx.cancelled()}), and waits
     * for that thread to end before the attempt ends: a retry never runs beside its predecessor.
     */
    private static StepResult runOnItsThread(RunScope scope, StepType type, RunningStep ctx, Exec exec, Duration timeout)
            throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "slipway-step " + ctx.stepId());
            t.setDaemon(true);
            return t;
        });
        Future<StepResult> f = single.submit(() -> type.run(ctx));
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                try {
                    return f.get(Math.max(1, Math.min(100_000_000L, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    boolean timedOut = System.nanoTime() >= deadline;
                    if (!timedOut && !scope.cancelled()) {
                        continue;
                    }
                    exec.cancelAll();
                    f.cancel(true);
                    single.shutdownNow();
                    if (!single.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new StuckException((timedOut ? "the step ran longer than its timeout of " + timeout.toSeconds() + " s"
                                : "the run was interrupted") + " and its code did not stop within " + STOP_GRACE.toSeconds()
                                + " s after it was told to; it is not retried while it may still be running",
                                "the step's plugin blocks without reacting to interruption; tell its author");
                    }
                    if (!timedOut) {
                        return StepResult.failure("the run was interrupted", null);
                    }
                    throw new StepException("the step ran longer than its timeout of " + timeout.toSeconds() + " s and was stopped",
                            "raise its timeout in release.kts if it needs longer");
                }
            }
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
