package io.slipway.runner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.runner.approval.Approvals;
import io.slipway.runner.approval.ConfirmStep;
import io.slipway.runner.approval.GateException;
import io.slipway.runner.console.Masker;
import io.slipway.runner.console.RunLog;
import io.slipway.runner.console.RunView;
import io.slipway.runner.journal.Journal;
import io.slipway.runner.journal.JournalData;
import io.slipway.runner.journal.Release;
import io.slipway.runner.journal.StepRecord;
import io.slipway.runner.journal.StepStatus;
import io.slipway.runner.model.Condition;
import io.slipway.runner.model.Job;
import io.slipway.runner.model.Location;
import io.slipway.runner.model.OutputRef;
import io.slipway.runner.model.Pipeline;
import io.slipway.runner.model.Step;
import io.slipway.runner.plugin.Catalogs;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine in-process: fake step types whose behaviour each test sets per step, a real journal
 * on disk, and a view that records what the console would show. No JVM per case.
 */
class EngineTest {

    /** What a fake step does when it runs. */
    enum Behaviour { OK, SKIP, FAIL, THROW, FAIL_ONCE, WAIT, REJECT, CANCEL, HANG, STUBBORN, UNDECLARED_OUTPUT, MISTYPED_OUTPUT }

    @TempDir
    Path tempDir;
    /**
     * Where the cases keep their journals: in memory (/dev/shm) where there is one, because the
     * journal syncs every write to disk and the cases write thousands of times.
     */
    private Path root;
    /** This case's folder: its workspace and state dir. */
    private Path dir;

    @org.junit.jupiter.api.BeforeEach
    void caseFolder() throws java.io.IOException {
        Path shm = Path.of("/dev/shm");
        root = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "engine-test") : tempDir;
        dir = root;
    }

    @org.junit.jupiter.api.AfterEach
    void removeCaseFolders() throws java.io.IOException {
        if (!root.equals(tempDir)) {
            try (var files = Files.walk(root)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private final Map<String, Behaviour> behaviour = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, String> state = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger mostActive = new AtomicInteger();

    /** A fake step type; {@code survives} false makes it one whose effect ends with the process. */
    private final class Fake implements StepType {
        private final String id;
        private final boolean survives;

        Fake(String id, boolean survives) {
            this.id = id;
            this.survives = survives;
        }

        public String id() {
            return id;
        }

        public String description() {
            return "a fake";
        }

        public List<InputSpec> inputs() {
            return List.of(InputSpec.optional("in", InputType.STRING, null, "any value"));
        }

        public List<OutputSpec> outputs() {
            if (id.endsWith("silent")) {
                return List.of();
            }
            return List.of(new OutputSpec("n", InputType.INTEGER, "which call this was"),
                    new OutputSpec("exit-code", InputType.INTEGER, "set also when it fails"));
        }

        public boolean survivesRestart() {
            return survives;
        }

        public String state(StepContext ctx) {
            return state.getOrDefault(ctx.stepId(), "");
        }

        public StepResult run(StepContext ctx) throws Exception {
            String me = ctx.stepId();
            int n = calls.computeIfAbsent(me, k -> new AtomicInteger()).incrementAndGet();
            mostActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                ctx.optionalString("in").ifPresent(v -> ctx.output("n", Integer.parseInt(v)));
                switch (behaviour.getOrDefault(me, Behaviour.OK)) {
                    case OK -> {
                        if (ctx.optionalString("in").isEmpty()) {
                            ctx.output("n", n);
                        }
                    }
                    case SKIP -> {
                        return StepResult.skipped("nothing to do");
                    }
                    case FAIL -> {
                        ctx.output("exit-code", 3);
                        return StepResult.failure("it failed", "fix it");
                    }
                    case THROW -> throw new IllegalStateException("it threw");
                    case FAIL_ONCE -> {
                        if (n == 1) {
                            return StepResult.failure("first call fails", null);
                        }
                        ctx.output("n", n);
                    }
                    case WAIT -> throw new GateException(GateException.Kind.WAITING, "waits", "approve it");
                    case REJECT -> throw new GateException(GateException.Kind.REJECTED, "rejected", "next version");
                    case CANCEL -> throw new GateException(GateException.Kind.CANCELLED, "cancelled at the prompt", null);
                    case HANG -> Thread.sleep(60_000);
                    case UNDECLARED_OUTPUT -> ctx.output("surprise", "x");
                    case MISTYPED_OUTPUT -> ctx.output("n", "three");
                    case STUBBORN -> {
                        // ignores the interruption of its timeout for a while, then fails
                        long until = System.nanoTime() + 400_000_000L;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        return StepResult.failure("too slow", null);
                    }
                }
                return StepResult.success();
            } finally {
                active.decrementAndGet();
            }
        }
    }

    /** A step of the fake type "fake" (or "fake-ephemeral"). */
    private record S(String id, String uses, Map<String, Object> inputs, Condition condition, int retries,
                     boolean continueOnError, Duration timeout) {
        S(String id) {
            this(id, "fake", Map.of(), null, 0, false, null);
        }

        S ephemeral() {
            return new S(id, "fake-ephemeral", inputs, condition, retries, continueOnError, timeout);
        }

        S onlyIf(boolean value) {
            return new S(id, uses, inputs, scope -> value, retries, continueOnError, timeout);
        }

        S retries(int n) {
            return new S(id, uses, inputs, condition, n, continueOnError, timeout);
        }

        S continuing() {
            return new S(id, uses, inputs, condition, retries, true, timeout);
        }

        S timeout(Duration d) {
            return new S(id, uses, inputs, condition, retries, continueOnError, d);
        }

        S input(String name, Object value) {
            Map<String, Object> m = new java.util.LinkedHashMap<>(inputs);
            m.put(name, value);
            return new S(id, uses, m, condition, retries, continueOnError, timeout);
        }

        Step step() {
            return new Step(id, uses, inputs, Map.of(), List.of(), condition, timeout, retries, Duration.ofMillis(1),
                    continueOnError, Location.UNKNOWN, Map.of());
        }
    }

    private static Job job(String id, List<String> needs, S... steps) {
        return new Job(id, needs, java.util.Arrays.stream(steps).map(S::step).toList(), Map.of(), null, Location.UNKNOWN);
    }

    /** What one run left: its result, the journal, and how each step ended on the console. */
    private record Ran(Engine.Result result, JournalData journal, Map<String, RunView.Outcome> shown, List<String> lines) {
        StepRecord step(String address) {
            return journal.steps.get(address);
        }
    }

    private Ran run(Optional<String> from, Job... jobs) throws Exception {
        return run(new Approvals(Set.of(), Set.of(), Optional.empty()), from, jobs);
    }

    private Ran run(Approvals approvals, Optional<String> from, Job... jobs) throws Exception {
        Plan plan = Plan.of(new Pipeline("release", List.of(jobs), Map.of(), Location.UNKNOWN, List.of()),
                Catalogs.of(new Fake("fake", true), new Fake("fake-ephemeral", false), new Fake("fake-silent", true),
                new ConfirmStep(approvals)));
        Map<String, RunView.Outcome> shown = new ConcurrentHashMap<>();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        RunView view = new RunView() {
            public void line(RunLog.Level level, String text) {
                lines.add(text);
            }

            public void stepStarted(String step, String text) {
                lines.add(text);
            }

            public void stepOutput(String step, String output, String text) {
                lines.add(text);
            }

            public void stepFinished(String step, Outcome outcome, String text, String summary) {
                shown.put(step, outcome);
                lines.add(text);
            }
        };
        Path workspace = Files.createDirectories(dir.resolve("work"));
        try (Journal journal = Journal.open(dir.resolve("state"), new Release("release", "1.0.0", false, workspace.toString(), "release.kts"), false);
             RunLog log = new RunLog(view, null, new Masker(), false, false)) {
            RunScope scope = new RunScope("release", "1.0.0", workspace, Map.of(), false, journal, log);
            Engine.Result result = new Engine(plan, scope, 2, from).run();
            return new Ran(result, journal.read(d -> d), shown, lines);
        }
    }

    private int calls(String address) {
        return calls.getOrDefault(address, new AtomicInteger()).get();
    }

    // ---- the step's life, across every behaviour and option ----

    /** How a step that ran with a behaviour ends. */
    private static StepStatus expectedStatus(Behaviour b) {
        return switch (b) {
            case OK, FAIL_ONCE -> StepStatus.SUCCEEDED;
            case SKIP -> StepStatus.SKIPPED;
            case FAIL, THROW, HANG, STUBBORN, UNDECLARED_OUTPUT, MISTYPED_OUTPUT -> StepStatus.FAILED;
            case WAIT -> StepStatus.WAITING;
            case REJECT -> StepStatus.REJECTED;
            case CANCEL -> StepStatus.INTERRUPTED;
        };
    }

    private static RunView.Outcome expectedShown(StepStatus status) {
        return switch (status) {
            case SUCCEEDED -> RunView.Outcome.OK;
            case SKIPPED -> RunView.Outcome.SKIPPED;
            case FAILED -> RunView.Outcome.FAILED;
            case WAITING -> RunView.Outcome.WAITING;
            case REJECTED -> RunView.Outcome.REJECTED;
            case INTERRUPTED -> RunView.Outcome.INTERRUPTED;
            default -> throw new IllegalArgumentException(status.name());
        };
    }

    @Test
    void everyBehaviourWithEveryOptionEndsAsTheStateMachineSays() throws Exception {
        int cases = 0;
        List<Behaviour> behaviours = List.of(Behaviour.OK, Behaviour.SKIP, Behaviour.FAIL, Behaviour.THROW, Behaviour.FAIL_ONCE,
                Behaviour.WAIT, Behaviour.REJECT, Behaviour.CANCEL);
        for (Behaviour b : behaviours) {
            for (boolean survives : List.of(true, false)) {
                for (boolean continueOnError : List.of(false, true)) {
                    for (Boolean onlyIf : java.util.Arrays.asList(null, true, false)) {
                        for (int retries : List.of(0, 1)) {
                            for (boolean doneBefore : List.of(false, true)) {
                                String label = b + " survives=" + survives + " continueOnError=" + continueOnError + " onlyIf=" + onlyIf
                                        + " retries=" + retries + " doneBefore=" + doneBefore;
                                oneCase(label, b, survives, continueOnError, onlyIf, retries, doneBefore);
                                cases++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(384, cases);
    }

    private void oneCase(String label, Behaviour b, boolean survives, boolean continueOnError, Boolean onlyIf, int retries,
                         boolean doneBefore) throws Exception {
        behaviour.clear();
        calls.clear();
        state.clear();
        dir = Files.createTempDirectory(root, "case");
        S a = new S("a").retries(retries);
        if (!survives) {
            a = a.ephemeral();
        }
        if (continueOnError) {
            a = a.continuing();
        }
        if (onlyIf != null) {
            a = a.onlyIf(onlyIf);
        }
        Job job = job("j", List.of(), a, new S("b"));
        if (doneBefore) {
            Ran first = run(Optional.empty(), job);
            assertEquals(Engine.Result.SUCCEEDED, first.result(), label + ": the first run");
            calls.clear();
        }
        behaviour.put("j/a", b);
        Ran ran = run(Optional.empty(), job);

        boolean foundDone = doneBefore && survives;
        boolean skippedByCondition = Boolean.FALSE.equals(onlyIf) && !foundDone;
        boolean executes = !foundDone && !skippedByCondition;
        StepStatus aStatus = skippedByCondition || foundDone && Boolean.FALSE.equals(onlyIf) ? StepStatus.SKIPPED
                : foundDone ? StepStatus.SUCCEEDED : expectedStatus(b);
        int aCalls = !executes ? 0 : (b == Behaviour.FAIL || b == Behaviour.THROW || b == Behaviour.FAIL_ONCE) && retries > 0 ? 2 : 1;
        if (b == Behaviour.FAIL_ONCE && retries == 0 && executes) {
            aStatus = StepStatus.FAILED;
        }
        boolean aFailed = aStatus == StepStatus.FAILED;
        boolean bRuns = aStatus == StepStatus.SUCCEEDED || aStatus == StepStatus.SKIPPED || (aFailed && continueOnError);
        Engine.Result expected = switch (aStatus) {
            case SUCCEEDED, SKIPPED -> Engine.Result.SUCCEEDED;
            case FAILED -> continueOnError ? Engine.Result.SUCCEEDED : Engine.Result.FAILED;
            case WAITING -> Engine.Result.WAITING;
            case REJECTED -> Engine.Result.REJECTED;
            case INTERRUPTED -> Engine.Result.CANCELLED;
            default -> throw new IllegalStateException();
        };

        assertEquals(expected, ran.result(), label + ": the run's result; " + ran.lines());
        assertEquals(aCalls, calls("j/a"), label + ": calls of a");
        assertEquals(aStatus, ran.step("j/a").status, label + ": a in the journal");
        assertEquals(foundDone ? RunView.Outcome.DONE_EARLIER : expectedShown(aStatus), ran.shown().get("j/a"), label + ": a on the console");
        if (executes && aCalls > 0) {
            assertEquals(aCalls + (doneBefore && !Boolean.FALSE.equals(onlyIf) ? 1 : 0), ran.step("j/a").attempts, label + ": attempts of a");
        }
        if (bRuns) {
            // b runs again after a executed or was skipped by its condition, unless a's effect ends with
            // the process: then b is found done when its own fingerprint did not change
            boolean bFoundDone = doneBefore && (foundDone || !survives);
            assertEquals(bFoundDone ? 0 : 1, calls("j/b"), label + ": calls of b");
            assertEquals(StepStatus.SUCCEEDED, ran.step("j/b").status, label + ": b in the journal");
        } else {
            assertEquals(0, calls("j/b"), label + ": b must not run");
            assertNull(ran.shown().get("j/b"), label + ": b must not be shown as ended");
        }
        if (aStatus == StepStatus.FAILED && executes) {
            Map<String, Object> expectedOutputs = b == Behaviour.FAIL ? Map.of("exit-code", 3) : Map.of();
            assertEquals(expectedOutputs, ran.step("j/a").outputs, label + ": a failed attempt keeps exactly what it set");
        }
    }

    // ---- the cases the issue names ----

    @Test
    void onlyIfFalseIsHonouredForAStepWhoseEffectEndsWithTheProcess() throws Exception {
        Ran ran = run(Optional.empty(), job("j", List.of(), new S("server").ephemeral().onlyIf(false), new S("after")));
        assertEquals(Engine.Result.SUCCEEDED, ran.result());
        assertEquals(0, calls("j/server"));
        assertEquals(StepStatus.SKIPPED, ran.step("j/server").status);
    }

    @Test
    void continueOnErrorHoldsForAStepWhoseEffectEndsWithTheProcess() throws Exception {
        behaviour.put("j/server", Behaviour.FAIL);
        Ran ran = run(Optional.empty(), job("j", List.of(), new S("server").ephemeral().continuing(), new S("after")));
        assertEquals(Engine.Result.SUCCEEDED, ran.result(), ran.lines().toString());
        assertEquals(1, calls("j/after"));
    }

    @Test
    void aFailedJobBeatsAConfirmationWaitingInAParallelJob() throws Exception {
        behaviour.put("broken/a", Behaviour.FAIL);
        Ran ran = run(Optional.empty(), job("broken", List.of(), new S("a")),
                job("gate", List.of(), new S("ok"), new S("confirm", "confirm", Map.of("question", "ready?"), null, 0, false, null)));
        assertEquals(Engine.Result.FAILED, ran.result());
        assertEquals(1, ran.result().exitCode);
        assertEquals(StepStatus.WAITING, ran.step("gate/confirm").status);
    }

    @Test
    void jobResultsCombineByPrecedenceNotByExitCode() {
        List<Engine.Result> order = List.of(Engine.Result.SUCCEEDED, Engine.Result.WAITING, Engine.Result.CANCELLED,
                Engine.Result.FAILED, Engine.Result.REJECTED);
        for (int i = 0; i < order.size(); i++) {
            for (int j = 0; j < order.size(); j++) {
                assertEquals(order.get(Math.max(i, j)), Engine.Result.combine(List.of(order.get(i), order.get(j))),
                        order.get(i) + " with " + order.get(j));
            }
        }
        assertEquals(Engine.Result.SUCCEEDED, Engine.Result.combine(List.of()));
    }

    @Test
    void parallelJobsEndWithTheResultOfHighestPrecedence() throws Exception {
        List<Behaviour> kinds = List.of(Behaviour.OK, Behaviour.FAIL, Behaviour.WAIT, Behaviour.REJECT);
        for (Behaviour x : kinds) {
            for (Behaviour y : kinds) {
                behaviour.clear();
                dir = Files.createTempDirectory(root, "pair");
                behaviour.put("x/s", x);
                behaviour.put("y/s", y);
                Ran ran = run(Optional.empty(), job("x", List.of(), new S("s")), job("y", List.of(), new S("s")));
                assertEquals(Engine.Result.combine(List.of(result(x), result(y))), ran.result(), x + " with " + y);
            }
        }
    }

    private static Engine.Result result(Behaviour b) {
        return switch (b) {
            case OK -> Engine.Result.SUCCEEDED;
            case FAIL -> Engine.Result.FAILED;
            case WAIT -> Engine.Result.WAITING;
            case REJECT -> Engine.Result.REJECTED;
            default -> throw new IllegalArgumentException(b.name());
        };
    }

    @Test
    void aStepThatWentStaleAndFailedHandsOnNothingOld() throws Exception {
        Job job = job("j", List.of(), new S("a"), new S("b").continuing(),
                new S("c").input("in", new OutputRef("j/b", "n")).continuing());
        assertEquals(Engine.Result.SUCCEEDED, run(Optional.empty(), job).result());
        state.put("j/b", "changed");            // b went stale
        behaviour.put("j/b", Behaviour.THROW);  // and fails without setting any output this time
        Ran ran = run(Optional.empty(), job);
        assertEquals(Map.of(), ran.step("j/b").outputs);
        assertEquals(StepStatus.FAILED, ran.step("j/c").status, "c must not get b's output of the earlier run");
        assertTrue(ran.step("j/c").message.contains("has no value"), ran.step("j/c").message);
    }

    @Test
    void aFailedStepWithContinueOnErrorHandsOnTheOutputsItSet() throws Exception {
        behaviour.put("j/a", Behaviour.FAIL);
        Ran ran = run(Optional.empty(), job("j", List.of(), new S("a").continuing(),
                new S("b").input("in", new OutputRef("j/a", "exit-code"))));
        assertEquals(Engine.Result.SUCCEEDED, ran.result(), ran.lines().toString());
        assertEquals(3, ran.step("j/b").outputs.get("n"), "b received a's exit-code");
    }

    @Test
    void aStepTypeThatSetsAnOutputItDoesNotDeclareOrOfAnotherTypeFails() throws Exception {
        behaviour.put("j/a", Behaviour.UNDECLARED_OUTPUT);
        behaviour.put("k/a", Behaviour.MISTYPED_OUTPUT);
        Ran ran = run(Optional.empty(), job("j", List.of(), new S("a")), job("k", List.of(), new S("a")));
        assertEquals(Engine.Result.FAILED, ran.result());
        assertEquals("step type fake set the output 'surprise', which it does not declare (it declares n, exit-code)", ran.step("j/a").message);
        assertEquals("step type fake set the output 'n' to a String, but declares it as INTEGER", ran.step("k/a").message);
        assertEquals(Map.of(), ran.step("j/a").outputs);
    }

    @Test
    void aReferenceToAnOutputOfAStepTypeThatDeclaresNoneIsAPlanProblem() {
        Plan.InvalidPipelineException e = org.junit.jupiter.api.Assertions.assertThrows(Plan.InvalidPipelineException.class,
                () -> run(Optional.empty(), job("j", List.of(), new S("quiet", "fake-silent", Map.of(), null, 0, false, null),
                        new S("b").input("in", new OutputRef("j/quiet", "answer")))));
        assertTrue(e.problems().get(0).message().contains("fake-silent has no output \"answer\"; it has none"), e.problems().toString());
    }

    @Test
    void aTimedOutStepHasStoppedBeforeItsRetryStarts() throws Exception {
        behaviour.put("j/slow", Behaviour.STUBBORN);
        Ran ran = run(Optional.empty(), job("j", List.of(), new S("slow").timeout(Duration.ofMillis(50)).retries(2)));
        assertEquals(Engine.Result.FAILED, ran.result());
        assertEquals(3, calls("j/slow"));
        assertEquals(1, mostActive.get(), "an attempt ran beside the one that timed out");
        assertTrue(ran.step("j/slow").message.contains("timeout"), ran.step("j/slow").message);
    }

    @Test
    void aStepTypeNoPluginProvidesIsOneProblemThatNamesWhereToPutThePluginAndAMistypedInputGetsADidYouMean() {
        Pipeline pipeline = new Pipeline("release", List.of(job("j", List.of(),
                new S("notify", "notify/webhook", Map.of(), null, 0, false, null),
                new S("after").input("in", new OutputRef("j/notify", "url")),
                new S("typo").input("inn", "x"))), Map.of(), Location.UNKNOWN, List.of());
        Plan.InvalidPipelineException e = assertThrows(Plan.InvalidPipelineException.class,
                () -> Plan.of(pipeline, Catalogs.of(new Fake("fake", true))));
        List<String> problems = e.problems().stream().map(p -> p.message()).toList();
        assertEquals(List.of("no plugin provides \"notify/webhook\"; is it in --plugins-dir or SLIPWAY_PLUGINS_DIR?"
                        + " (runner plugins lists the plugins loaded)",
                "step \"j/typo\" (fake): unknown input 'inn' (did you mean 'in'?); it takes in"), problems);
    }

    @Test
    void aPlanCutAfterAJobKeepsThatJobAndWhatItNeedsAndRefusesAnUnknownJob() throws Exception {
        Plan plan = Plan.of(new Pipeline("release", List.of(job("a", List.of(), new S("one")), job("b", List.of("a"), new S("two")),
                job("side", List.of(), new S("three")), job("c", List.of("b", "side"), new S("four")), job("d", List.of("c"), new S("five"))),
                Map.of(), Location.UNKNOWN, List.of()), Catalogs.of(new Fake("fake", true)));
        assertEquals(List.of("a", "b"), plan.until("b").order());
        assertEquals(Set.of("a", "b", "c", "side"), Set.copyOf(plan.until("c").order()));
        assertEquals(Set.of("b", "side"), plan.until("c").needs("c"));
        assertEquals(null, plan.until("b").steps("c"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> plan.until("publish"));
        assertTrue(unknown.getMessage().startsWith("\"publish\" is not a job of pipeline 'release'; its jobs: "), unknown.getMessage());
    }

    @Test
    void cancellingTheRunInterruptsABlockedStep() throws Exception {
        behaviour.put("j/hang", Behaviour.HANG);
        Path workspace = Files.createDirectories(dir.resolve("work"));
        Plan plan = Plan.of(new Pipeline("release", List.of(job("j", List.of(), new S("hang"), new S("after"))), Map.of(),
                Location.UNKNOWN, List.of()), Catalogs.of(new Fake("fake", true)));
        try (Journal journal = Journal.open(dir.resolve("state"), new Release("release", "1.0.0", false, workspace.toString(), "r.kts"), false);
             RunLog log = new RunLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), null, new Masker(), false, false)) {
            RunScope scope = new RunScope("release", "1.0.0", workspace, Map.of(), false, journal, log);
            Thread canceller = new Thread(() -> {
                while (calls("j/hang") == 0) {
                    Thread.onSpinWait();
                }
                scope.cancel();
            });
            canceller.start();
            long t0 = System.nanoTime();
            Engine.Result result = new Engine(plan, scope, 1, Optional.empty()).run();
            assertEquals(Engine.Result.CANCELLED, result);
            assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "the step's thread was not interrupted");
            assertEquals(StepStatus.INTERRUPTED, journal.read(d -> d.steps.get("j/hang").status));
            assertEquals(0, calls("j/after"));
        }
    }

    @Test
    void ctrlCAtThePromptIsACancelNotARejection() throws Exception {
        List<String> asked = new ArrayList<>();
        Approvals approvals = new Approvals(Set.of(), Set.of(), Optional.empty());
        approvals.usePrompt(Optional.of((title, summary, details) -> {
            asked.add(title);
            return asked.size() == 1 ? Approvals.Prompt.Answer.CANCELLED : Approvals.Prompt.Answer.APPROVED;
        }));
        Job job = job("j", List.of(), new S("confirm", "confirm", Map.of("question", "ready?"), null, 0, false, null), new S("after"));
        Ran first = run(approvals, Optional.empty(), job);
        assertEquals(Engine.Result.CANCELLED, first.result());
        assertEquals(130, first.result().exitCode);
        assertEquals(StepStatus.INTERRUPTED, first.step("j/confirm").status);
        assertFalse(first.step("j/confirm").facts.containsKey("decision"), "a cancel decides nothing");
        assertEquals(0, calls("j/after"));

        Ran second = run(approvals, Optional.empty(), job);
        assertEquals(2, asked.size(), "asked again in the next run");
        assertEquals(Engine.Result.SUCCEEDED, second.result());
        assertEquals("approved", second.step("j/confirm").facts.get("decision"));
    }

    @Test
    void aRejectionHoldsInLaterRunsUntilSomeoneApproves() throws Exception {
        // Declared automatic for non-interactive runs: without the rejection, these runs would confirm it themselves.
        Job job = job("j", List.of(), new S("confirm", "confirm", Map.of("question", "ready?", "auto", true), null, 0, false, null),
                new S("after"));
        Ran rejected = run(new Approvals(Set.of(), Set.of("confirm"), Optional.of("bad changelog")), Optional.empty(), job);
        assertEquals(Engine.Result.REJECTED, rejected.result());

        Ran again = run(Optional.empty(), job);
        assertEquals(Engine.Result.REJECTED, again.result());
        assertEquals(4, again.result().exitCode);
        assertEquals(0, calls("j/after"));
        assertTrue(again.lines().stream().anyMatch(l -> l.contains("\"confirm\" was rejected by ")
                && l.contains("via --reject confirm: bad changelog")), again.lines()::toString);
        assertEquals("rejected", again.step("j/confirm").facts.get("decision"));

        Ran approved = run(new Approvals(Set.of("confirm"), Set.of(), Optional.empty()), Optional.empty(), job);
        assertEquals(Engine.Result.SUCCEEDED, approved.result());
        assertEquals(1, calls("j/after"));
        assertEquals("approved", approved.step("j/confirm").facts.get("decision"));
        assertFalse(approved.step("j/confirm").facts.containsKey("reason"), "the rejection's reason is not the approval's");
    }

    @Test
    void everyStatusChangeFollowsTheStateMachine() {
        RunScopeProbe probe = new RunScopeProbe();
        StepRun run = new StepRun(probe.scope, "j/a");
        run.start(Map.of());
        run.finish(StepRun.State.FAILED, "no", null, Map.of(), null);
        run.start(Map.of());
        run.finish(StepRun.State.SUCCEEDED, null, null, Map.of("n", 1), "fp");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> run.start(Map.of()));
        assertTrue(e.getMessage().contains("SUCCEEDED to RUNNING"), e.getMessage());
        StepRun other = new StepRun(probe.scope, "j/b");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> other.finish(StepRun.State.SUCCEEDED, null, null, Map.of(), "fp"));
        probe.close();
    }

    /** A scope over a journal in the temp dir, for driving a {@link StepRun} by hand. */
    private final class RunScopeProbe implements AutoCloseable {
        final Journal journal;
        final RunScope scope;

        RunScopeProbe() {
            try {
                Path workspace = Files.createDirectories(dir.resolve("probe"));
                journal = Journal.open(dir.resolve("probe-state"), new Release("release", "1.0.0", false, workspace.toString(), "r.kts"), false);
                scope = new RunScope("release", "1.0.0", workspace, Map.of(), false, journal,
                        new RunLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), null, new Masker(), false, false));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                journal.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
