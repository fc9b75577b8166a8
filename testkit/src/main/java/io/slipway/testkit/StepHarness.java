package io.slipway.testkit;

import io.slipway.runner.console.Masker;
import io.slipway.runner.console.RunLog;
import io.slipway.runner.engine.RunScope;
import io.slipway.runner.engine.SingleStep;
import io.slipway.runner.journal.Journal;
import io.slipway.runner.journal.Release;
import io.slipway.spi.PipelineEnd;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepJournal;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one step type the way the runner does (real subprocesses, a real journal on disk, masking,
 * end-of-run hooks), for a plugin's own tests. Inputs are checked against the step's declarations
 * exactly as {@code release.kts} inputs are.
 *
 * <pre>{@code
 * try (StepHarness h = StepHarness.of(new MyStep()).workspace(repo).stateDir(tmp).input("branch", "main")) {
 *     StepHarness.Run run = h.run();
 *     assertEquals(StepResult.Status.SUCCEEDED, run.result().status());
 * }
 * }</pre>
 *
 * A second harness over the same {@code stateDir} sees the facts the first one journaled, which is
 * how a test simulates a resumed release; {@link #crash()} ends a harness without its end-of-run
 * hooks, like {@code kill -9}.
 */
public final class StepHarness implements AutoCloseable {

    /**
     * The result of one {@link #run()}: result, outputs, the log lines and the step's journaled facts;
     * {@code crashed} when the run stopped at the fact given to {@link #crashAfter} (then the result
     * is the failure that stop looks like to the engine, and means nothing), {@code doneEarlier} when
     * {@link #resume()} skipped the step as the runner would (then nothing ran), {@code interrupted}
     * when the run was interrupted ({@link #interruptAfter}) while the step ran.
     */
    public record Run(StepResult result, Map<String, Object> outputs, List<String> log, Map<String, String> facts,
                      boolean crashed, boolean doneEarlier, boolean interrupted) {
    }

    /** Thrown out of the step's code right after it journaled the fact {@link #crashAfter} names. */
    private static final class Crash extends Error {
        Crash(String fact) {
            super("the harness stopped the step after it journaled '" + fact + "', as kill -9 would");
        }
    }

    private final StepType step;
    private Path workspace = Path.of(".");
    private Path stateDir;
    private String version = "1.0.0";
    private String pipeline = "test";
    private String stepId;
    private boolean dryRun;
    private final Map<String, Object> inputs = new LinkedHashMap<>();
    private final Map<String, String> env = new HashMap<>(System.getenv());
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final Map<String, String> seeded = new LinkedHashMap<>();
    private String crashAfter;
    private boolean crashed;
    private Duration interruptAfter;
    private RunScope scope;
    private Journal journal;

    private StepHarness(StepType step) {
        this.step = step;
        this.stepId = "job/" + step.id();
    }

    /** The fingerprint of the harness's fixed inputs, extended by the step's state. */
    private static final String FINGERPRINT = "harness";

    public static StepHarness of(StepType step) {
        return new StepHarness(step);
    }

    public StepHarness workspace(Path dir) {
        this.workspace = dir;
        return this;
    }

    /** Where the journal lives; a temp dir of the test. Required. */
    public StepHarness stateDir(Path dir) {
        this.stateDir = dir;
        return this;
    }

    public StepHarness version(String version) {
        this.version = version;
        return this;
    }

    public StepHarness stepId(String stepId) {
        this.stepId = stepId;
        return this;
    }

    public StepHarness dryRun(boolean dryRun) {
        this.dryRun = dryRun;
        return this;
    }

    public StepHarness input(String name, Object value) {
        inputs.put(name, value);
        return this;
    }

    /** Sets a variable in the step's environment (which starts as this JVM's environment). */
    public StepHarness env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Removes a variable from the step's environment. */
    public StepHarness unsetEnv(String name) {
        env.remove(name);
        return this;
    }

    /**
     * A fact the step's journal holds before the next run, as an earlier attempt that was killed
     * would have left it. Facts survive a crash, {@code --from} and a stale rerun alike: a step
     * finds what its earlier attempts journaled whenever it runs again in the same release.
     */
    public StepHarness fact(String key, String value) {
        seeded.put(key, value);
        return this;
    }

    /**
     * Makes the next {@link #run()} stop right after the step journals {@code fact}, the way kill
     * -9 of the runner would stop it there: none of the step's code after that call runs. Follow
     * it with {@link #crash()} and a new harness over the same {@code stateDir} to test the resume.
     */
    public StepHarness crashAfter(String fact) {
        this.crashAfter = fact;
        return this;
    }

    /**
     * Makes the next {@link #run()} interrupt the step {@code delay} after it starts, as the first
     * Ctrl-C at the runner does: the step's thread is interrupted, its subprocesses are stopped and
     * {@code ctx.cancelled()} turns true. A step that reacts ends with {@link Run#interrupted()} and
     * the message "the run was interrupted"; one that blocks on I/O that ignores interruption (a
     * plain {@code Socket} read, {@code HttpURLConnection}) is waited for 30 s, like in the runner,
     * and then ends with a message that says it did not stop. The run then ends as an interrupted
     * runner's does (end-of-run hooks with {@code CANCELLED}); the next {@link #run()} or
     * {@link #resume()} is a new runner's over the same journal.
     */
    public StepHarness interruptAfter(Duration delay) {
        this.interruptAfter = delay;
        return this;
    }

    /**
     * Runs the step once.
     *
     * @throws IllegalArgumentException if the inputs do not match the step's declarations
     */
    public Run run() {
        SingleStep single = single();
        int before = console.size();
        crashed = false;
        Thread interrupter = null;
        if (interruptAfter != null) {
            Duration delay = interruptAfter;
            interrupter = new Thread(() -> {
                try {
                    Thread.sleep(delay.toMillis());
                    single.interrupt();
                } catch (InterruptedException e) {
                    // the step ended first
                }
            }, "harness-interrupt");
            interrupter.setDaemon(true);
            interrupter.start();
        }
        SingleStep.Attempt o;
        try {
            o = single.attempt();
        } finally {
            if (interrupter != null) {
                interrupter.interrupt();
            }
        }
        String text = console.toString(StandardCharsets.UTF_8).substring(before);
        Run run = new Run(o.result(), o.outputs(), text.lines().toList(), facts(), crashed, false, o.interrupted());
        if (interruptAfter != null) {
            // An interrupted runner ends its run: hooks run with CANCELLED, and the next run() is a new runner's.
            interruptAfter = null;
            end(PipelineEnd.Outcome.CANCELLED);
        }
        return run;
    }

    /**
     * Runs the step as a resumed release does: when it succeeded earlier and {@link #stillDone() is
     * still done}, it is skipped and nothing runs; otherwise it runs again.
     */
    public Run resume() {
        return stillDone() ? new Run(null, Map.of(), List.of(), facts(), false, true, false) : run();
    }

    private Map<String, String> facts() {
        return journal.read(d -> d.steps.containsKey(stepId) ? Map.copyOf(d.steps.get(stepId).facts) : Map.of());
    }

    /**
     * Whether a later run of the runner would skip the step as done: it succeeded, and its
     * {@link StepType#state} is still the one recorded then (the harness's inputs are fixed).
     */
    public boolean stillDone() {
        SingleStep single = single();
        String recorded = journal.read(d -> d.steps.containsKey(stepId) && d.steps.get(stepId).status.done()
                ? d.steps.get(stepId).fingerprint : null);
        return recorded != null && recorded.equals(single.currentFingerprint());
    }

    /** Everything the step logged so far, masked, as the console would show it. */
    public String consoleText() {
        return console.toString(StandardCharsets.UTF_8);
    }

    /**
     * The files the step preserved ({@link StepContext#preserve}) with their bytes from before it
     * changed them, by workspace-relative path ({@code null}: the file did not exist): what
     * {@code runner abandon} puts back, and a dry run at its end.
     */
    public Map<String, byte[]> preserved() {
        open();
        return journal.read(d -> {
            Map<String, byte[]> out = new LinkedHashMap<>();
            d.preserved.forEach((file, bytes) -> out.put(file, bytes == null ? null : Base64.getDecoder().decode(bytes)));
            return out;
        });
    }

    /** The journal file, to assert that no secret reached it. */
    public Path journalFile() {
        open();
        return journal.file();
    }

    private SingleStep single() {
        open();
        if (!seeded.isEmpty()) {
            journal.updateStep(stepId, r -> r.facts.putAll(seeded));
            seeded.clear();
        }
        return new SingleStep(scope, stepId, crashAfter == null ? step : crashingAfter(crashAfter), inputs, FINGERPRINT);
    }

    /** The step, with a journal that stops its code right after it records {@code fact}. */
    private StepType crashingAfter(String fact) {
        return proxy(StepType.class, (m, args) -> {
            if (!m.getName().equals("run")) {
                return m.invoke(step, args);
            }
            StepContext ctx = (StepContext) args[0];
            StepJournal journal = ctx.journal();
            StepJournal stopping = proxy(StepJournal.class, (jm, jargs) -> {
                Object r = jm.invoke(journal, jargs);
                if (jm.getName().equals("put") && fact.equals(jargs[0])) {
                    crashed = true;
                    throw new Crash(fact);
                }
                return r;
            });
            return m.invoke(step, proxy(StepContext.class, (cm, cargs) -> cm.getName().equals("journal") ? stopping : cm.invoke(ctx, cargs)));
        });
    }

    private interface Call {
        Object on(Method m, Object[] args) throws Throwable;
    }

    /** An implementation of {@code type} that hands every call to {@code call}, unwrapping what a delegate threw. */
    private static <T> T proxy(Class<T> type, Call call) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            try {
                return call.on(m, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    private void open() {
        if (scope != null) {
            return;
        }
        if (stateDir == null) {
            throw new IllegalStateException("set stateDir(...) to a temp dir first");
        }
        try {
            journal = Journal.open(stateDir, new Release(pipeline, version, dryRun,
                    workspace.toAbsolutePath().normalize().toString(), "StepHarness"), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RunLog log = new RunLog(new PrintStream(console, true, StandardCharsets.UTF_8), null, new Masker(), true, false);
        scope = new RunScope(pipeline, version, workspace, env, dryRun, journal, log);
    }

    /** Runs the end-of-run hooks with the given outcome and releases the journal. */
    public void end(PipelineEnd.Outcome outcome) {
        if (scope != null) {
            scope.end(outcome);
        }
        crash();
    }

    /** Releases the journal without running end-of-run hooks, as a killed runner would. */
    public void crash() {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        journal = null;
        scope = null;
    }

    /** Ends with {@link PipelineEnd.Outcome#SUCCEEDED} unless already ended. */
    @Override
    public void close() {
        end(PipelineEnd.Outcome.SUCCEEDED);
    }
}
