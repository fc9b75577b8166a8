package io.slipway.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a running step may use. Created by the runner for one attempt of one step.
 *
 * <p>Input getters return the value the script gave, resolved (references to earlier outputs are
 * replaced by their values) and type-checked before {@link StepType#run} is called, or the
 * declared default. Asking for an input that was not declared is a programming error
 * ({@link IllegalArgumentException}).
 */
public interface StepContext {

    /** The step's address in the pipeline, {@code job/step}, as the console and journal show it. */
    String stepId();

    /** The name of the pipeline, e.g. {@code release}. */
    String pipeline();

    /** The version being released, as given with {@code --version}. */
    String version();

    /** A STRING input, or the default; {@code null} if neither. Secret inputs are read here too. */
    String string(String name);

    /** A STRING input that may be absent. */
    default Optional<String> optionalString(String name) {
        return Optional.ofNullable(string(name));
    }

    boolean bool(String name);

    int integer(String name);

    /** A LIST input; an empty list if absent. */
    List<String> list(String name);

    /** A MAP input; an empty map if absent. */
    Map<String, String> map(String name);

    /**
     * Sets an output. Values are String, Boolean, Integer/Long, {@code List<String>} or
     * {@code Map<String,String>}, of the type {@link StepType#outputs} declares for the name; an
     * undeclared name or another type throws {@link IllegalArgumentException}, which fails the step
     * as a bug of its plugin. Outputs are stored in the journal when the attempt ends (also when it
     * fails: a {@code continueOnError} step hands them on) and are what later steps receive when
     * they reference them. Each attempt starts with none.
     */
    void output(String name, Object value);

    /** The repository root the pipeline runs in (the directory of {@code release.kts}). */
    Path workspace();

    /**
     * The environment steps see: the runner's environment plus job and step {@code env} from the
     * script. Read-only. {@code SLIPWAY_PYTHON} names the Python interpreter the user chose.
     */
    Map<String, String> env();

    /** The step's log (console and release log, masked). */
    StepLog log();

    /** Adds a value to mask everywhere from now on, e.g. a token read from a file. */
    void mask(String secret);

    /**
     * Runs a subprocess to its end: output streamed line by line into the log (masked) and
     * returned; killed when it exceeds the request's timeout or the run is interrupted.
     *
     * @throws StepException if the program cannot be started, times out, or the run was interrupted
     */
    ExecResult exec(ExecRequest request) throws StepException;

    /** This step's durable facts; see {@link StepJournal}. */
    StepJournal journal();

    /**
     * True in a dry run: nothing may leave the machine except uploads to the rehearsal index the
     * script chose; nothing is pushed; files changed are restored (see {@link #preserve}).
     */
    boolean dryRun();

    /**
     * Call before changing or creating a file in the workspace. In a dry run the runner records the
     * file's bytes (or its absence) in the journal and restores it when the run ends, also on the
     * next start after a crash: a path that did not exist is removed, a directory with everything in
     * it. An existing directory is not recorded (preserve its files). In a real run the bytes are
     * kept until the release is done, so that {@code runner abandon} can put the file back.
     */
    void preserve(Path file);

    /** Registers work for the end of the run; see {@link PipelineEnd}. */
    void atPipelineEnd(PipelineEnd hook);

    /**
     * True once the user interrupted the run (the step's thread is interrupted too); long loops, and
     * blocking calls that do not react to {@link Thread#interrupt} (give those a timeout), should
     * check it and stop.
     */
    boolean cancelled();
}
