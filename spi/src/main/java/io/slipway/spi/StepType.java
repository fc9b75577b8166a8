package io.slipway.spi;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * A kind of step a pipeline can use, contributed by a plugin as a PF4J extension.
 *
 * <pre>{@code
 * @Extension
 * public class ChangelogEntry implements StepType {
 *     public String id() { return "changelog-entry"; }
 *     public String description() { return "Fails unless CHANGELOG.md has a section for the version."; }
 *     public List<InputSpec> inputs() { return List.of(InputSpec.optional("file", InputType.STRING, "CHANGELOG.md", "changelog path")); }
 *     public StepResult run(StepContext ctx) throws Exception { ... }
 * }
 * }</pre>
 *
 * <h2>Addressing</h2>
 * {@link #id()} is {@code plugin-id} for a plugin's main step or {@code plugin-id/name} for the
 * others; the runner refuses an id that does not start with the plugin's id.
 *
 * <h2>The idempotency contract</h2>
 * A release can be interrupted at any instant (Ctrl-C, {@code kill -9}, a lost machine). The
 * runner then runs a step again if it had not been recorded as succeeded, so {@link #run} must be
 * safe to call again after a crash at any point of a previous call. A step either
 * <ul>
 *   <li>detects work that is already done and treats it as success (the tag exists at the same
 *       commit, the file is on the index with the same sha256), or</li>
 *   <li>records its progress with {@link StepContext#journal()} before and after each side effect,
 *       and consults those facts when it starts again.</li>
 * </ul>
 * Work found done at another value (the tag at another commit, the same file name with another
 * hash) is never overwritten: it is a failure with a hint.
 *
 * <p>Instances may be created per call; keep long-lived state (a server) outside the instance and
 * release it with {@link StepContext#atPipelineEnd}.
 */
public interface StepType extends ExtensionPoint {

    /** The address used in {@code release.kts}: {@code plugin-id} or {@code plugin-id/name}. */
    String id();

    /** One sentence for {@code runner plugins}. */
    String description();

    /** The inputs the step accepts; anything else in the script is refused before the run starts. */
    List<InputSpec> inputs();

    /** The outputs the step sets with {@link StepContext#output}; later steps may reference them. */
    default List<OutputSpec> outputs() {
        return List.of();
    }

    /**
     * Whether a success recorded by an earlier run of the runner still holds in a later one. True for
     * almost every step (a tag, an upload, a build stay done). False for a step whose effect ends with
     * the runner's process, such as starting a local server: the runner executes it again on every
     * run, and steps that use its outputs run again when those outputs change.
     */
    default boolean survivesRestart() {
        return true;
    }

    /**
     * What a success of the step depends on besides its inputs, environment and declared files, as
     * text: the content of the sources a build read, where the tags a step created point now. The
     * runner records it right after the step succeeds; on a later run it asks again before it skips
     * the step as done, and a different answer makes the step stale: it runs again, and with it every
     * step after it. Called with the same inputs as {@link #run}; it must not change anything. The
     * default, empty, leaves the decision to the inputs.
     */
    default String state(StepContext context) throws Exception {
        return "";
    }

    /**
     * Does the step's work. Throwing {@link StepException} (or returning {@link StepResult#failure})
     * fails the step with a message and a hint for the user; any other exception fails it with the
     * exception's message. Must honour the idempotency contract above.
     */
    StepResult run(StepContext context) throws Exception;

    /**
     * What this step has put where others can see it (files on a package index, tags or commits on
     * a remote), one line each, judged from its journaled facts and its inputs; empty if nothing.
     * {@code runner abandon} undoes a release on this machine only when no step names anything: a
     * published version cannot be taken back, so the way on is a new version. Count an effect that
     * may have happened (an upload or push cut off half-way) as published. Must not change anything.
     */
    default List<String> published(StepContext context) throws Exception {
        return List.of();
    }
}
