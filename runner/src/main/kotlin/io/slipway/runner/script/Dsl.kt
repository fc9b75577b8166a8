package io.slipway.runner.script

import io.slipway.plugin.gitsupport.DefaultBranch
import io.slipway.plugin.gitsupport.TagConvention
import io.slipway.python.Python
import io.slipway.python.project.Inspection
import io.slipway.python.project.ProjectInspector
import io.slipway.python.project.PythonMetadata
import io.slipway.runner.model.Condition
import io.slipway.runner.model.Job
import io.slipway.runner.model.Location
import io.slipway.runner.model.OutputRef
import io.slipway.runner.model.Pipeline
import io.slipway.runner.model.Step
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toJavaDuration

@DslMarker
annotation class ReleaseDsl

/** A mistake in what the script declares (a duplicate id, a bad name), with the script line it happened at. */
class ScriptDeclarationException(message: String, val location: Location) : RuntimeException(message)

private val ID = Regex("[A-Za-z0-9][A-Za-z0-9._-]*")

/** The line of release.kts that called into the DSL, read from the stack (compiled scripts keep their line numbers). */
internal fun callSite(): Location = STACK.walk { frames ->
    frames.filter { it.fileName?.endsWith(".kts") == true }.findFirst()
        .map { Location(it.fileName, it.lineNumber, 0) }.orElse(Location.UNKNOWN)
}

private val STACK: StackWalker = StackWalker.getInstance()

private fun checkId(kind: String, id: String, at: Location) {
    if (!ID.matches(id)) {
        throw ScriptDeclarationException(
            "$kind id \"$id\" may use only letters, digits, '.', '_' and '-', and must start with a letter or digit", at)
    }
}

/** An earlier step's output, resolved when the step that uses it starts: `output("build/python-build", "files")`. */
fun output(step: String, name: String): OutputRef = OutputRef(step, name)

/**
 * The implicit receiver of every release.kts: the release being made and the script's parameters.
 * A script declares exactly one [pipeline]; nothing runs while the script is evaluated.
 * Not a [ReleaseDsl] scope, so [version] and [param] stay reachable inside every block.
 */
class ReleaseScope @JvmOverloads constructor(
    /** The version being released (`--version`). */
    val version: String,
    private val given: Map<String, String> = emptyMap(),
    /** True for `--dry-run`; a script may point uploads at the rehearsal index with it. */
    val dryRun: Boolean = false,
    /** The repository the release runs in: the script's directory. Scripts may read files here to declare steps. */
    val workspace: java.nio.file.Path = java.nio.file.Path.of("").toAbsolutePath(),
    private val environment: Map<String, String> = emptyMap(),
) {
    /** A variable of the environment steps will see (including `SLIPWAY_PYTHON` from `--python`); null if unset. */
    fun env(name: String): String? = environment[name]

    /** The Python interpreter the user chose with `--python` or `SLIPWAY_PYTHON`, else `python3`. */
    val python: String get() = Python.interpreter(environment)

    private val inspections = LinkedHashMap<List<String>, Inspection>()
    private var tagFormatRead: String? = null

    /**
     * What the repository holds: its Python packages, each with its folder, name, import names,
     * console scripts, where its version lives, tests and changelog, read from the files when first
     * asked (`runner validate` and `--plan` print it). [packages] names the package folders instead
     * of finding them. A repository that cannot be read this way stops the script with one sentence.
     */
    fun inspect(packages: List<String> = emptyList()): Inspection =
        inspections.getOrPut(packages) { ProjectInspector(workspace, PythonMetadata.of(environment)).inspect(packages) }

    /** How the repository names its release tags, from the tags it has: `{version}`, else `v{version}`. */
    val existingTagFormat: String
        get() = tagFormatRead ?: TagConvention.of(workspace).also { tagFormatRead = it }

    private var defaultBranchRead: String? = null

    /** The repository's default branch: the one origin's HEAD names (`refs/remotes/origin/HEAD`), else `main` (`master` when only that exists). */
    val defaultBranch: String
        get() = defaultBranchRead ?: DefaultBranch.of(workspace).also { defaultBranchRead = it }

    private fun detected(): List<String> =
        inspections.values.flatMap { it.describe() } + listOfNotNull(tagFormatRead?.let { "release tags: $it (from the repository's tags)" },
            defaultBranchRead?.let { "default branch: $it (origin/HEAD, else main or master)" })

    internal var pipeline: Pipeline? = null
    internal val declared = LinkedHashMap<String, String?>()

    /** A `--set name=value` parameter; [default] when not given. Declaring it makes `--set name=` legal. */
    fun param(name: String, default: String): String {
        declared[name] = default
        return given[name] ?: default
    }

    /** A `--set name=value` parameter without a default; null when not given. */
    fun param(name: String): String? {
        declared.putIfAbsent(name, null)
        return given[name]
    }

    fun pipeline(name: String, block: PipelineBuilder.() -> Unit) {
        val at = callSite()
        if (pipeline != null) throw ScriptDeclarationException("a script declares one pipeline; \"$name\" is the second", at)
        checkId("pipeline", name, at)
        val b = PipelineBuilder()
        b.block()
        pipeline = Pipeline(name, b.jobs, declared, at, detected())
    }
}

@ReleaseDsl
class PipelineBuilder internal constructor() {
    internal val jobs = ArrayList<Job>()
    private val env = LinkedHashMap<String, String>()

    /** An environment variable for every step of the pipeline. */
    fun env(name: String, value: String) {
        env[name] = value
    }

    /** A job: its steps run in order once every job in [needs] has succeeded. */
    fun job(id: String, needs: List<String> = emptyList(), block: JobBuilder.() -> Unit) =
        add(id, needs, null, callSite(), block)

    fun job(id: String, needs: String, block: JobBuilder.() -> Unit) = add(id, listOf(needs), null, callSite(), block)

    /**
     * One job per value, run in parallel, named `id-<value>`; a `needs` on [id] waits for all of them.
     * The block receives the value.
     */
    fun matrix(id: String, values: List<String>, needs: List<String> = emptyList(), block: JobBuilder.(String) -> Unit) {
        val at = callSite()
        checkId("matrix", id, at)
        if (values.isEmpty()) throw ScriptDeclarationException("matrix \"$id\" has no values", at)
        for (value in values) {
            val slug = value.replace(Regex("[^A-Za-z0-9._-]+"), "-").trim('-')
            add("$id-$slug", needs, id, at) { block(value) }
        }
    }

    private fun add(id: String, needs: List<String>, group: String?, at: Location, block: JobBuilder.() -> Unit) {
        checkId("job", id, at)
        if (jobs.any { it.id() == id || it.group() == id }) throw ScriptDeclarationException("job \"$id\" is declared twice", at)
        val b = JobBuilder(id)
        b.block()
        val jobEnv = LinkedHashMap(env).apply { putAll(b.env) }
        jobs += Job(id, needs, b.steps, jobEnv, group, at)
    }
}

@ReleaseDsl
class JobBuilder internal constructor(private val jobId: String) {
    internal val steps = ArrayList<Step>()
    internal val env = LinkedHashMap<String, String>()

    /** An environment variable for every step of this job. */
    fun env(name: String, value: String) {
        env[name] = value
    }

    /** A step of type [uses] (`plugin-id` or `plugin-id/name`); [id] defaults to the part after the last `/`. */
    fun step(uses: String, id: String? = null, block: StepBuilder.() -> Unit = {}) {
        add(uses, id ?: uses.substringAfterLast('/'), callSite(), emptyMap(), block)
    }

    /**
     * Runs a command line with the shell (bash, else sh) in the workspace, as GitHub Actions' `run:`:
     * `PYTHONPATH=src python3 -m pytest && echo ok` works; the log shows it as written.
     */
    fun run(id: String, command: String, block: StepBuilder.() -> Unit = {}) {
        add("run", id, callSite(), mapOf("command" to command), block)
    }

    /** Runs a program with these arguments, without a shell: `run("tests", listOf(python, "-m", "pytest"))`. */
    fun run(id: String, argv: List<String>, block: StepBuilder.() -> Unit = {}) {
        add("run", id, callSite(), mapOf("argv" to argv), block)
    }

    /**
     * Stops for approval: a person at a terminal approves or rejects; a non-interactive run approves
     * only when credentials for every target named with [StepBuilder.credentials] are present.
     */
    fun approval(id: String, block: StepBuilder.() -> Unit = {}) {
        add("approval", id, callSite(), emptyMap(), block)
    }

    /** A manual acknowledgement; non-interactive runs need `--approve id`, unless [auto] is true. */
    fun confirm(id: String, question: String, auto: Boolean = false) {
        add("confirm", id, callSite(), mapOf("question" to question, "auto" to auto)) {}
    }

    /** Writes a line to the console and the release log. */
    fun log(id: String, message: String) {
        add("log", id, callSite(), mapOf("message" to message)) {}
    }

    /** Writes an earlier step's output to the console and the release log: `log("notes", output("build/notes", "text"))`. */
    fun log(id: String, message: OutputRef) {
        add("log", id, callSite(), mapOf("message" to message)) {}
    }

    private fun add(uses: String, id: String, at: Location, preset: Map<String, Any>, block: StepBuilder.() -> Unit) {
        checkId("step", id, at)
        if (steps.any { it.id() == id }) {
            throw ScriptDeclarationException("step \"$id\" is declared twice in job \"$jobId\"; give one of them another id", at)
        }
        val b = StepBuilder()
        b.inputs.putAll(preset)
        b.block()
        steps += Step(id, uses, b.inputs, b.env, b.files, b.condition, b.timeout?.toJavaDuration(), b.retries,
            b.backoff.toJavaDuration(), b.continueOnError, at, b.inputLocations)
    }
}

@ReleaseDsl
class StepBuilder internal constructor() {
    internal val inputs = LinkedHashMap<String, Any>()
    internal val inputLocations = HashMap<String, Location>()
    internal val env = LinkedHashMap<String, String>()
    internal val files = ArrayList<String>()
    internal var condition: Condition? = null
    internal var retries = 0
    internal var backoff: Duration = 2.seconds

    /** Stops the step when it runs longer. */
    var timeout: Duration? = null

    /** A failure of this step does not stop its job. */
    var continueOnError: Boolean = false

    /** An input value: a string, number, boolean, list, map, or [output] of an earlier step. */
    fun input(name: String, value: Any) {
        inputs[name] = value
        inputLocations[name] = callSite()
    }

    fun env(name: String, value: String) {
        env[name] = value
    }

    /** For an [JobBuilder.approval]: the upload targets whose credentials the non-interactive policy requires. */
    fun credentials(vararg targets: String) {
        inputs["targets"] = targets.toList()
        inputLocations["targets"] = callSite()
    }

    /** Files (paths or globs relative to the workspace) whose content makes a succeeded step stale when it changes. */
    fun files(vararg patterns: String) {
        files += patterns
    }

    /** Tries the step again up to [times] more times after a failure, waiting [backoff], then twice as long each time. */
    fun retry(times: Int, backoff: Duration = 2.seconds) {
        retries = times
        this.backoff = backoff
    }

    /** Runs the step only when [test] is true at the moment it would start; otherwise it is skipped. */
    fun onlyIf(test: Condition.ConditionScope.() -> Boolean) {
        condition = Condition { scope -> scope.test() }
    }
}
