package io.slipway.testkit;

import io.slipway.runner.console.Masker;
import io.slipway.runner.console.RunLog;
import io.slipway.runner.engine.RunScope;
import io.slipway.runner.engine.SingleStep;
import io.slipway.runner.journal.Journal;
import io.slipway.runner.journal.Release;
import io.slipway.spi.PipelineEnd;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    /** The result of one {@link #run()}: result, outputs, the log lines and the step's journaled facts. */
    public record Run(StepResult result, Map<String, Object> outputs, List<String> log, Map<String, String> facts) {
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
     * Runs the step once.
     *
     * @throws IllegalArgumentException if the inputs do not match the step's declarations
     */
    public Run run() {
        SingleStep single = single();
        int before = console.size();
        SingleStep.Attempt o = single.attempt();
        String text = console.toString(StandardCharsets.UTF_8).substring(before);
        Map<String, String> facts = journal.read(d -> d.steps.containsKey(stepId)
                ? Map.copyOf(d.steps.get(stepId).facts) : Map.of());
        return new Run(o.result(), o.outputs(), text.lines().toList(), facts);
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

    /** The journal file, to assert that no secret reached it. */
    public Path journalFile() {
        open();
        return journal.file();
    }

    private SingleStep single() {
        open();
        return new SingleStep(scope, stepId, step, inputs, FINGERPRINT);
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
