package io.slipway.runner.engine;

import io.slipway.runner.approval.GateException;
import io.slipway.runner.console.RunView;
import io.slipway.runner.journal.JournalWriteException;
import io.slipway.runner.journal.StepRecord;
import io.slipway.runner.journal.StepStatus;
import io.slipway.runner.model.Condition;
import io.slipway.runner.model.OutputRef;
import io.slipway.runner.model.Step;
import io.slipway.spi.PipelineEnd;
import io.slipway.spi.StepResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a {@link Plan}: jobs whose needs have succeeded run in parallel (at most {@code parallelism}
 * at once), steps within a job in order. Resumes from the journal: a step that succeeded in an
 * earlier run and whose fingerprint is unchanged is not executed again; once any step executes,
 * every step after it (in its job and in the jobs that need it) executes too.
 */
public final class Engine {

    /** How the run ended, as the CLI's exit code says it. */
    public enum Result {
        SUCCEEDED(0), FAILED(1), WAITING(3), REJECTED(4), CANCELLED(130);

        public final int exitCode;

        Result(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    private final Plan plan;
    private final RunScope scope;
    private final int parallelism;
    private final Optional<String> from;

    /**
     * @param from a step address ({@code job/step}) to run again with everything after it, or empty
     */
    public Engine(Plan plan, RunScope scope, int parallelism, Optional<String> from) {
        this.plan = plan;
        this.scope = scope;
        this.parallelism = Math.max(1, parallelism);
        this.from = from;
    }

    /** Outcome of one job: its result, and whether any of its steps executed in this run. */
    private record JobOutcome(String job, Result result, boolean executed) {
    }

    public Result run() throws InterruptedException {
        Masking.register(scope.masker(), plan);
        Map<String, List<String>> stepsByJob = new LinkedHashMap<>();
        plan.order().forEach(j -> stepsByJob.put(j, plan.steps(j).stream().map(Plan.PlannedStep::address).toList()));
        scope.log.planned(stepsByJob);
        Map<String, JobOutcome> finished = new HashMap<>();
        Set<String> started = new HashSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "slipway-job");
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<JobOutcome> done = new ExecutorCompletionService<>(pool);
        int running = 0;
        try {
            while (true) {
                if (!cancelled()) {
                    for (String job : plan.order()) {
                        if (started.contains(job) || !plan.needs(job).stream().allMatch(n ->
                                finished.containsKey(n) && finished.get(n).result() == Result.SUCCEEDED)) {
                            continue;
                        }
                        boolean rerun = plan.needs(job).stream().anyMatch(n -> finished.get(n).executed());
                        started.add(job);
                        done.submit(() -> runJob(job, rerun));
                        running++;
                    }
                }
                if (running == 0) {
                    break;
                }
                Future<JobOutcome> f = done.take();
                running--;
                try {
                    JobOutcome o = f.get();
                    finished.put(o.job(), o);
                } catch (ExecutionException e) {
                    // Stop the other jobs' subprocesses; a journal that cannot be written ends the run as it is.
                    scope.cancel();
                    throw e.getCause() instanceof JournalWriteException j ? j : new IllegalStateException("the engine failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Result result = cancelled() ? Result.CANCELLED : Result.SUCCEEDED;
        for (JobOutcome o : finished.values()) {
            if (o.result().exitCode > result.exitCode && result != Result.CANCELLED) {
                result = o.result();
            }
        }
        List<String> notRun = plan.order().stream().filter(j -> !started.contains(j)).toList();
        if (!notRun.isEmpty() && result != Result.SUCCEEDED) {
            scope.log.info("not started: " + String.join(", ", notRun));
        }
        return result;
    }

    private boolean cancelled() {
        return scope.cancelled();
    }

    private JobOutcome runJob(String job, boolean rerun) throws InterruptedException {
        boolean executed = rerun;
        for (Plan.PlannedStep ps : plan.steps(job)) {
            if (cancelled()) {
                return new JobOutcome(job, Result.CANCELLED, executed);
            }
            String address = ps.address();
            if (from.isPresent() && from.get().equals(address)) {
                executed = true;
            }
            Map<String, Object> inputs;
            try {
                inputs = resolve(ps);
            } catch (IllegalArgumentException e) {
                fail(address, e.getMessage(), "check the step that produces it");
                return new JobOutcome(job, Result.FAILED, true);
            }
            Map<String, String> env = new LinkedHashMap<>(ps.job().env());
            env.putAll(ps.step().env());
            String fingerprint = Fingerprint.of(ps.step(), ps.type(), fingerprintInputs(ps, inputs), env, scope.workspace);
            StepRecord before = scope.journal.read(d -> d.steps.get(address));
            if (!ps.type().survivesRestart()) {
                // Its effect died with the previous process; later steps rerun only if its outputs changed.
                StepExecution.Outcome o = attemptWithRetries(ps, inputs, env, fingerprint);
                if (o.result().status() == StepResult.Status.FAILED) {
                    return new JobOutcome(job, cancelled() ? Result.CANCELLED : Result.FAILED, true);
                }
                continue;
            }
            if (!executed && before != null && before.status.done()) {
                if (StepExecution.currentFingerprint(scope, address, ps.type(), inputs, env, fingerprint).equals(before.fingerprint)) {
                    scope.log.stepFinished(address, RunView.Outcome.DONE_EARLIER,
                            "done " + address + " (" + before.status.name().toLowerCase(Locale.ROOT) + " in an earlier run)");
                    continue;
                }
                scope.log.info("stale " + address + ": its inputs, files or state changed since it succeeded; running it and every step after it again");
            }
            executed = true;
            Condition condition = ps.step().condition();
            if (condition != null && !condition.test(conditionScope())) {
                String skipped = StepExecution.currentFingerprint(scope, address, ps.type(), inputs, env, fingerprint);
                scope.journal.updateStep(address, r -> {
                    r.status = StepStatus.SKIPPED;
                    r.message = "its onlyIf condition was false";
                    r.fingerprint = skipped;
                    r.ended = Instant.now();
                });
                scope.log.stepFinished(address, RunView.Outcome.SKIPPED, "skip " + address + ": its onlyIf condition was false");
                continue;
            }
            StepExecution.Outcome outcome = attemptWithRetries(ps, inputs, env, fingerprint);
            if (outcome.gate() != null) {
                return new JobOutcome(job, outcome.gate() == GateException.Kind.WAITING ? Result.WAITING : Result.REJECTED, true);
            }
            if (outcome.result().status() == StepResult.Status.FAILED) {
                if (cancelled()) {
                    return new JobOutcome(job, Result.CANCELLED, true);
                }
                if (!ps.step().continueOnError()) {
                    return new JobOutcome(job, Result.FAILED, true);
                }
                scope.log.info("continuing after the failure of " + address + " (continueOnError)");
            }
        }
        return new JobOutcome(job, Result.SUCCEEDED, executed);
    }

    private StepExecution.Outcome attemptWithRetries(Plan.PlannedStep ps, Map<String, Object> inputs, Map<String, String> env,
                                          String fingerprint) throws InterruptedException {
        Step step = ps.step();
        String address = ps.address();
        Duration wait = step.retryBackoff();
        for (int attempt = 0; ; attempt++) {
            scope.log.group(address);
            scope.log.stepStarted(address, "> " + address + (attempt > 0 ? " (attempt " + (attempt + 1) + ")" : ""));
            long t0 = System.nanoTime();
            StepExecution.Outcome o = StepExecution.attempt(scope, address, ps.type(), inputs, env, fingerprint,
                    step.timeout());
            scope.log.endGroup();
            String took = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9);
            StepResult r = o.result();
            switch (r.status()) {
                case SUCCEEDED -> {
                    scope.log.stepFinished(address, RunView.Outcome.OK,
                            "ok " + address + " (" + took + ")" + (r.message() != null ? ": " + r.message() : ""));
                    return o;
                }
                case SKIPPED -> {
                    scope.log.stepFinished(address, RunView.Outcome.SKIPPED, "skip " + address + ": " + r.message());
                    return o;
                }
                default -> {
                    if (o.gate() != null) {
                        boolean waiting = o.gate() == GateException.Kind.WAITING;
                        scope.log.stepFinished(address, waiting ? RunView.Outcome.WAITING : RunView.Outcome.REJECTED,
                                (waiting ? "waiting " : "rejected ") + address + ": " + r.message());
                        scope.log.info("hint: " + r.hint());
                        return o;
                    }
                    if (cancelled()) {
                        scope.log.stepFinished(address, RunView.Outcome.INTERRUPTED, "interrupted " + address + " (" + took + ")");
                        return o;
                    }
                    scope.log.stepFinished(address, RunView.Outcome.FAILED, address + " failed (" + took + "): " + r.message());
                    if (attempt < step.retries()) {
                        scope.log.info("retrying " + address + " in " + wait.toSeconds() + " s");
                        long until = System.nanoTime() + wait.toNanos();
                        while (!cancelled() && System.nanoTime() < until) {
                            Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
                        }
                        wait = wait.multipliedBy(2);
                        if (!cancelled()) {
                            continue;
                        }
                        scope.log.stepFinished(address, RunView.Outcome.INTERRUPTED, "interrupted " + address + " before its next attempt");
                        return o;
                    }
                    if (r.hint() != null) {
                        scope.log.info("hint: " + r.hint());
                    }
                    return o;
                }
            }
        }
    }

    private void fail(String address, String message, String hint) {
        scope.journal.updateStep(address, r -> {
            r.status = StepStatus.FAILED;
            r.message = message;
            r.hint = hint;
        });
        scope.log.stepFinished(address, RunView.Outcome.FAILED, address + ": " + message);
    }

    /**
     * The inputs as the fingerprint sees them: a value taken from a step that runs anew in every run
     * (a local server's URL) counts as its reference, so a new port does not make finished work stale.
     */
    private Map<String, Object> fingerprintInputs(Plan.PlannedStep ps, Map<String, Object> inputs) {
        Map<String, Object> out = new LinkedHashMap<>(inputs);
        ps.step().inputs().forEach((name, raw) -> {
            List<?> items = raw instanceof List<?> l ? l : List.of(raw);
            boolean restartBound = items.stream().anyMatch(i -> i instanceof OutputRef ref
                    && plan.step(ref.step()) != null && !plan.step(ref.step()).type().survivesRestart());
            if (restartBound) {
                out.put(name, raw.toString());
            }
        });
        return out;
    }

    /** The step's inputs with references replaced by the producing steps' journaled outputs. */
    private Map<String, Object> resolve(Plan.PlannedStep ps) {
        Map<String, Object> given = new LinkedHashMap<>();
        ps.step().inputs().forEach((name, value) -> given.put(name, resolveValue(name, value)));
        return Inputs.resolveAll(ps.type().inputs(), given);
    }

    /** A reference becomes its output; a list may mix references and values, and list outputs are flattened into it. */
    private Object resolveValue(String input, Object value) {
        if (value instanceof OutputRef ref) {
            Object v = output(ref.step(), ref.output());
            if (v == null) {
                throw new IllegalArgumentException("input '" + input + "' refers to " + ref + ", which has no value");
            }
            return v;
        }
        if (value instanceof List<?> list && list.stream().anyMatch(OutputRef.class::isInstance)) {
            List<Object> out = new java.util.ArrayList<>();
            for (Object item : list) {
                Object v = resolveValue(input, item);
                if (v instanceof List<?> inner) {
                    out.addAll(inner);
                } else {
                    out.add(v);
                }
            }
            return out;
        }
        return value;
    }

    private Object output(String step, String name) {
        return scope.journal.read(d -> {
            StepRecord r = d.steps.get(step);
            return r == null ? null : r.outputs.get(name);
        });
    }

    private Condition.ConditionScope conditionScope() {
        return new Condition.ConditionScope() {
            public String version() {
                return scope.version;
            }

            public boolean dryRun() {
                return scope.dryRun;
            }

            public Object output(String step, String name) {
                return Engine.this.output(step, name);
            }
        };
    }

    /** The end-of-run hooks' view of a result. */
    public static PipelineEnd.Outcome endOutcome(Result result) {
        return switch (result) {
            case SUCCEEDED -> PipelineEnd.Outcome.SUCCEEDED;
            case WAITING -> PipelineEnd.Outcome.WAITING;
            case CANCELLED -> PipelineEnd.Outcome.CANCELLED;
            default -> PipelineEnd.Outcome.FAILED;
        };
    }
}
