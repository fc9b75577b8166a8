package io.slipway.runner.engine;

import io.slipway.runner.console.Masker;
import io.slipway.runner.journal.JournalWriteException;
import io.slipway.runner.journal.StepRecord;
import io.slipway.runner.model.Condition;
import io.slipway.runner.model.OutputRef;
import io.slipway.runner.model.Step;
import io.slipway.spi.PipelineEnd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * How a job or the run ended, as the CLI's exit code says it. Jobs' results combine by
     * precedence, not by exit code: a rejection beats a failure, which beats an interruption, which
     * beats waiting for approval; only when every job succeeded did the run.
     */
    public enum Result {
        SUCCEEDED(0, 0), WAITING(3, 1), CANCELLED(130, 2), FAILED(1, 3), REJECTED(4, 4);

        public final int exitCode;
        private final int precedence;

        Result(int exitCode, int precedence) {
            this.exitCode = exitCode;
            this.precedence = precedence;
        }

        /** The result of a run whose jobs ended with these results. */
        static Result combine(Collection<Result> results) {
            return results.stream().max(Comparator.comparingInt(r -> r.precedence)).orElse(SUCCEEDED);
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

    /**
     * Registers the secrets a plan declares (secret inputs, credentials in step environments and in
     * URLs) with a masker; {@link #run} does it too, this is for what is written before a run starts.
     */
    public static void maskSecrets(Masker masker, Plan plan) {
        Masking.register(masker, plan);
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
        List<Result> results = new ArrayList<>(finished.values().stream().map(JobOutcome::result).toList());
        if (cancelled()) {
            results.add(Result.CANCELLED); // also when it came between jobs, with no job interrupted
        }
        Result result = Result.combine(results);
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
            if (from.isPresent() && from.get().equals(ps.address())) {
                executed = true;
            }
            // A step whose effect dies with its process (a local server) runs in every run; the steps
            // after it run again only if their own fingerprints changed.
            boolean survives = ps.type().survivesRestart();
            StepRun run = new StepRun(scope, ps.address());
            runStep(ps, run, executed || !survives ? null : scope.journal.read(d -> d.steps.get(ps.address())));
            if (survives && run.state() != StepRun.State.DONE_EARLIER) {
                executed = true;
            }
            switch (run.state()) {
                case SUCCEEDED, SKIPPED, DONE_EARLIER -> {
                }
                case FAILED -> {
                    if (!ps.step().continueOnError()) {
                        return new JobOutcome(job, Result.FAILED, true);
                    }
                    scope.log.info("continuing after the failure of " + ps.address() + " (continueOnError)");
                }
                case INTERRUPTED -> {
                    return new JobOutcome(job, Result.CANCELLED, true);
                }
                case WAITING -> {
                    return new JobOutcome(job, Result.WAITING, true);
                }
                case REJECTED -> {
                    return new JobOutcome(job, Result.REJECTED, true);
                }
                default -> throw new IllegalStateException(ps.address() + " ended as " + run.state());
            }
        }
        return new JobOutcome(job, Result.SUCCEEDED, executed);
    }

    /**
     * Takes one step from pending to its end in this run.
     *
     * @param before its record from an earlier run when it may be found done there; {@code null} when it must run
     */
    private void runStep(Plan.PlannedStep ps, StepRun run, StepRecord before) throws InterruptedException {
        String address = ps.address();
        Map<String, Object> inputs;
        try {
            inputs = References.resolve(ps, scope.journal);
        } catch (IllegalArgumentException e) {
            run.failedBeforeStart(e.getMessage(), "check the step that produces it");
            return;
        }
        Map<String, String> env = new LinkedHashMap<>(ps.job().env());
        env.putAll(ps.step().env());
        String fingerprint = Fingerprint.of(ps.step(), ps.type(), fingerprintInputs(ps, inputs), env, scope.workspace);
        if (before != null && before.status.done()) {
            if (StepExecution.currentFingerprint(scope, address, ps.type(), inputs, env, fingerprint).equals(before.fingerprint)) {
                run.doneEarlier(before.status);
                return;
            }
            scope.log.info("stale " + address + ": its inputs, files or state changed since it succeeded; running it and every step after it again");
        }
        Step step = ps.step();
        if (step.condition() != null && !step.condition().test(conditionScope())) {
            run.skipped("its onlyIf condition was false", StepExecution.currentFingerprint(scope, address, ps.type(), inputs, env, fingerprint));
            return;
        }
        Duration wait = step.retryBackoff();
        for (int attempt = 0; ; attempt++) {
            StepExecution.Outcome o = StepExecution.attempt(run, scope, ps.type(), inputs, env, fingerprint, step.timeout());
            if (o.end() == StepRun.State.FAILED && o.retryable() && attempt < step.retries()) {
                scope.log.info("retrying " + address + " in " + wait.toSeconds() + " s");
                long until = System.nanoTime() + wait.toNanos();
                while (!cancelled() && System.nanoTime() < until) {
                    Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
                }
                wait = wait.multipliedBy(2);
                if (!cancelled()) {
                    continue;
                }
                run.interruptedBeforeRetry();
                return;
            }
            if (o.end() != StepRun.State.SUCCEEDED && o.end() != StepRun.State.INTERRUPTED && o.result().hint() != null) {
                scope.log.info("hint: " + o.result().hint());
            }
            return;
        }
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

    private Condition.ConditionScope conditionScope() {
        return new Condition.ConditionScope() {
            public String version() {
                return scope.version;
            }

            public boolean dryRun() {
                return scope.dryRun;
            }

            public Object output(String step, String name) {
                return References.output(scope.journal, step, name);
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
