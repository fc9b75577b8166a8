package io.slipway.runner.script

import io.slipway.python.project.InspectionException
import io.slipway.runner.model.Location
import io.slipway.runner.model.Pipeline
import java.io.File
import java.io.IOException
import java.nio.ByteBuffer
import java.nio.charset.CharacterCodingException
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.time.Duration
import java.util.concurrent.Callable
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import java.util.function.Consumer
import java.util.jar.Attributes
import java.util.jar.JarEntry
import java.util.jar.JarInputStream
import java.util.jar.JarOutputStream
import java.util.jar.Manifest
import kotlin.script.experimental.api.EvaluationResult
import kotlin.script.experimental.api.ResultValue
import kotlin.script.experimental.api.ResultWithDiagnostics
import kotlin.script.experimental.api.ScriptDiagnostic
import kotlin.script.experimental.api.ScriptEvaluationConfiguration
import kotlin.script.experimental.api.SourceCode
import kotlin.script.experimental.api.CompiledScript
import kotlin.script.experimental.api.ScriptCompilationConfiguration
import kotlin.script.experimental.api.KotlinType
import kotlin.script.experimental.api.baseClass
import kotlin.script.experimental.api.fileExtension
import kotlin.script.experimental.api.hostConfiguration
import kotlin.script.experimental.api.implicitReceivers
import kotlin.script.experimental.host.ScriptingHostConfiguration
import kotlin.script.experimental.host.StringScriptSource
import kotlin.script.experimental.jvm.baseClassLoader
import kotlin.script.experimental.jvm.compilationCache
import kotlin.script.experimental.jvm.defaultJvmScriptingHostConfiguration
import kotlin.script.experimental.jvm.jvm
import kotlin.script.experimental.jvmhost.BasicJvmScriptingHost
import kotlin.script.experimental.jvmhost.CompiledScriptJarsCache
import kotlin.script.experimental.jvmhost.loadScriptFromJar
import kotlin.script.experimental.jvmhost.saveToJar
import kotlin.script.experimental.jvm.impl.KJvmCompiledScript
import java.nio.file.StandardCopyOption

/**
 * A script that did not compile or failed while declaring its pipeline; [errors] carry file:line:column.
 * [hint] is what to do when the cause is not the script itself (a repository Slipway cannot read).
 */
open class ScriptException(val errors: List<Pair<Location, String>>, val hint: String? = null) :
    RuntimeException(errors.joinToString("\n") { (at, msg) -> "$at: $msg" })

/** A script whose evaluation did not end within the host's time limit: an endless loop, or a call that waits. */
class ScriptTimeoutException(displayName: String, timeout: Duration) :
    ScriptException(listOf(Location(displayName, 0, 0) to "did not finish declaring its pipeline within ${timeout.seconds} s"))

/**
 * Evaluates release.kts with Kotlin's scripting host and returns the pipeline it declares.
 *
 * Compiled scripts are cached as jars under [cacheDir], keyed by the script text and the build of the
 * runner (its script classpath and the Kotlin version): a warm evaluation skips the compiler
 * (FACTS.md: ~0.6 s instead of ~6 s). Entries unused for 30 days are deleted.
 * Running the compiled script (not compiling it, which a cold cache makes slow) must end within
 * [evaluationTimeout]; a script that loops is left running on a daemon thread and reported.
 */
class ScriptHost @JvmOverloads constructor(
    private val cacheDir: Path?,
    private val evaluationTimeout: Duration = DEFAULT_EVALUATION_TIMEOUT,
    private val shipped: Path? = null,
    /** Told, in one sentence, when a script was compiled but could not be kept for the next run. */
    private val warn: Consumer<String> = Consumer {},
) {

    private val hostConfiguration = ScriptingHostConfiguration(defaultJvmScriptingHostConfiguration) {
        jvm { compilationCache(AtomicJarsCache(::shippedFile, ::cacheFile, ::notKept)) }
    }

    /** The distribution's precompiled copy of a script, read-only: a compile never writes there. */
    private fun shippedFile(source: SourceCode): File? = shipped?.resolve(cacheKey(source.text) + ".jar")?.toFile()

    /** Where a compiled script is kept in the cache folder; touched when it is there, so that it is not pruned. */
    private fun cacheFile(source: SourceCode, @Suppress("UNUSED_PARAMETER") configuration: ScriptCompilationConfiguration): File? {
        val file = File(cacheDir?.toFile() ?: return null, cacheKey(source.text) + ".jar")
        if (file.exists()) file.setLastModified(System.currentTimeMillis())
        return file
    }

    /** A compiled script that could not be written: the run goes on, and the next one compiles it again. */
    private fun notKept(source: SourceCode, reason: String?) {
        val where = if (cacheDir == null) "there is no folder for compiled scripts (no home folder, and neither " +
            "SLIPWAY_CACHE_DIR nor XDG_CACHE_HOME is set)" else "it could not be kept in $cacheDir ($reason)"
        warn.accept("${source.name ?: "the script"} was compiled, but $where: every run compiles it again; " +
            "set SLIPWAY_CACHE_DIR to a folder this user can write")
    }

    /**
     * What `createJvmCompilationConfigurationFromTemplate<ReleaseScript>` makes of [ReleaseScript]'s annotation,
     * written out: that function finds [ReleaseScriptDefinition] through kotlin-reflect (`objectInstance`),
     * whose start loaded ~830 classes in every run, a cached script's as well (bench/RESULTS.md).
     */
    private val compilation = ScriptCompilationConfiguration(ReleaseScriptDefinition) {
        hostConfiguration(this@ScriptHost.hostConfiguration)
        baseClass(KotlinType(ReleaseScript::class))
        fileExtension(RELEASE_SCRIPT_EXTENSION)
    }

    init {
        if (cacheDir != null) prune(cacheDir)
    }

    /** Compiles a script file into the cache without running it; for building the distribution's [shipped] folder. */
    fun compile(script: Path) {
        val source = StringScriptSource(readScript(script, script.toString()), script.fileName.toString())
        val host = BasicJvmScriptingHost(hostConfiguration)
        val c = host.runInCoroutineContext { host.compiler(source, compilation) }
        if (c is ResultWithDiagnostics.Failure) throw ScriptException(errors(c.reports, script.toString()))
    }

    /** Evaluates a script file; its errors name it [displayName], by default its path. */
    @JvmOverloads
    fun evaluate(script: Path, scope: ReleaseScope, displayName: String = script.toString()): Pipeline =
        evaluate(StringScriptSource(readScript(script, displayName), script.fileName.toString()), displayName, scope)

    /** A script file's text; one that is not UTF-8 is a script error at the line of its first bad byte. */
    private fun readScript(script: Path, displayName: String): String {
        val bytes = Files.readAllBytes(script)
        val input = ByteBuffer.wrap(bytes)
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(input).toString()
        } catch (e: CharacterCodingException) {
            val at = input.position() // the start of the bad sequence
            val line = (0 until at).count { bytes[it] == '\n'.code.toByte() } + 1
            val lineStart = ((0 until at).lastOrNull { bytes[it] == '\n'.code.toByte() } ?: -1) + 1
            val column = String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8).length + 1 // characters, as an editor counts
            throw ScriptException(listOf(Location(displayName, line, column) to "the script is not UTF-8 text (byte 0x%02X here);"
                .format(bytes[at]) + " Kotlin reads scripts as UTF-8: save it in that encoding"))
        }
    }

    /** Evaluates script text; [displayName] is used in error locations. */
    fun evaluate(text: String, displayName: String, scope: ReleaseScope): Pipeline =
        evaluate(StringScriptSource(text, File(displayName).name), displayName, scope)

    private fun evaluate(source: SourceCode, displayName: String, scope: ReleaseScope): Pipeline {
        val evaluation = ScriptEvaluationConfiguration {
            implicitReceivers(scope)
            jvm { baseClassLoader(ReleaseScope::class.java.classLoader) }
        }
        val host = BasicJvmScriptingHost(hostConfiguration)
        val compiled = when (val c = host.runInCoroutineContext { host.compiler(source, compilation) }) {
            is ResultWithDiagnostics.Failure -> throw ScriptException(errors(c.reports, displayName))
            is ResultWithDiagnostics.Success -> c.value
        }
        val result = withinTimeLimit(displayName) { host.runInCoroutineContext { host.evaluator(compiled, evaluation) } }
        when (result) {
            is ResultWithDiagnostics.Failure -> throw ScriptException(errors(result.reports, displayName))
            is ResultWithDiagnostics.Success -> failure(result.value, displayName)?.let { throw it }
        }
        return scope.pipeline ?: throw ScriptException(listOf(Location(displayName, 0, 0) to
            "the script declares no pipeline; add pipeline(\"release\") { ... }"))
    }

    private fun <T> withinTimeLimit(displayName: String, block: () -> T): T {
        val thread = Executors.newSingleThreadExecutor { r -> Thread(r, "slipway-script").apply { isDaemon = true } }
        try {
            return thread.submit(Callable { block() }).get(evaluationTimeout.toMillis(), TimeUnit.MILLISECONDS)
        } catch (e: TimeoutException) {
            throw ScriptTimeoutException(displayName, evaluationTimeout)
        } catch (e: ExecutionException) {
            throw e.cause ?: e
        } finally {
            thread.shutdownNow()
        }
    }

    private fun errors(reports: List<ScriptDiagnostic>, displayName: String): List<Pair<Location, String>> {
        val errors = reports.filter { it.severity >= ScriptDiagnostic.Severity.ERROR }
        return errors.map { d ->
            val start = d.location?.start
            Location(displayName, start?.line ?: 0, start?.col ?: 0) to (d.exception?.let { rootMessage(it) } ?: d.message)
        }.ifEmpty { listOf(Location(displayName, 0, 0) to "the script could not be evaluated") }
    }

    private fun failure(value: EvaluationResult, displayName: String): ScriptException? {
        val error = (value.returnValue as? ResultValue.Error)?.error ?: return null
        val location = (error as? ScriptDeclarationException)?.location?.let { Location(displayName, it.line(), it.column()) }
            ?: error.stackTrace.firstOrNull { it.fileName?.endsWith(".kts") == true }
                ?.let { Location(displayName, it.lineNumber, 0) }
            ?: Location(displayName, 0, 0)
        // inspect() could not read the repository: its sentence names the file, its hint says what to do there
        val inspection = error as? InspectionException
        return ScriptException(listOf(location to (inspection?.reason() ?: rootMessage(error))), inspection?.hint())
    }

    private fun rootMessage(e: Throwable): String = e.message ?: e.javaClass.simpleName

    companion object {
        /** How long a script may take to declare its pipeline unless the host is told otherwise. */
        @JvmField
        val DEFAULT_EVALUATION_TIMEOUT: Duration = Duration.ofSeconds(60)

        /** A cache entry unused this long is deleted when a host starts. */
        private val UNUSED = java.time.Duration.ofDays(30)

        /**
         * The build of what compiled scripts link against: every file of the script classpath (the
         * runner's and python-support's jars, or their class folders in development) and the Kotlin
         * version. An upgraded runner never loads a script compiled against another one. The Kotlin
         * stdlib is named by its version: reading its 1.8 MB took ~80 ms of every start.
         */
        private val BUILD_IDENTITY: ByteArray by lazy {
            val md = MessageDigest.getInstance("SHA-256")
            md.update(KotlinVersion.CURRENT.toString().toByteArray())
            val stdlib = File(Unit::class.java.protectionDomain.codeSource.location.toURI())
            for (entry in scriptClasspath.filter { it != stdlib }) {
                val files = if (entry.isDirectory) entry.walkTopDown().filter { it.isFile }.sortedBy { it.path }.toList() else listOf(entry)
                for (f in files) {
                    md.update(f.relativeTo(entry.takeIf { it.isDirectory } ?: entry.parentFile).path.toByteArray())
                    md.update(f.readBytes())
                }
            }
            md.digest()
        }

        /** Hash of the script text and the build identity. */
        fun cacheKey(text: String): String {
            val md = MessageDigest.getInstance("SHA-256")
            md.update(text.toByteArray())
            md.update(BUILD_IDENTITY)
            return md.digest().joinToString("") { "%02x".format(it) }.take(32)
        }

        /** Deletes compiled scripts nobody loaded for [UNUSED] (a hit touches its jar). */
        private fun prune(cacheDir: Path) {
            val cutoff = System.currentTimeMillis() - UNUSED.toMillis()
            cacheDir.toFile().listFiles { f -> f.isFile && f.name.endsWith(".jar") && f.lastModified() < cutoff }
                ?.forEach { it.delete() }
        }

        /** The distribution's precompiled scripts, `$SLIPWAY_HOME/scripts`; none when the runner does not run from one. */
        @JvmStatic
        fun shippedDir(env: Map<String, String>): Path? =
            env["SLIPWAY_HOME"]?.takeIf { it.isNotBlank() }?.let { Path.of(it, "scripts") }

        /** Compiles scripts into a folder, the last argument: the distribution's build runs this for the scripts it ships. */
        @JvmStatic
        fun main(args: Array<String>) {
            val host = ScriptHost(Path.of(args.last()), warn = { throw IllegalStateException(it) })
            args.dropLast(1).forEach { host.compile(Path.of(it)) }
        }

        /**
         * `$SLIPWAY_CACHE_DIR`, else `$XDG_CACHE_HOME/slipway/scripts`, else `~/.cache/slipway/scripts` (the
         * runner's `main` makes `~` `$HOME`); null when there is none of them. A relative XDG_CACHE_HOME is
         * ignored, as the XDG spec says, and so is a relative home (`?`, Java's for a user without a passwd
         * entry): resolved against the working directory, it put the cache into the repository being released.
         */
        @JvmStatic
        @JvmOverloads
        fun defaultCacheDir(env: Map<String, String>, home: String? = System.getProperty("user.home")): Path? {
            env["SLIPWAY_CACHE_DIR"]?.takeIf { it.isNotBlank() }?.let { return Path.of(it) }
            val base = absolute(env["XDG_CACHE_HOME"]) ?: absolute(home)?.resolve(".cache") ?: return null
            return base.resolve("slipway").resolve("scripts")
        }

        private fun absolute(path: String?): Path? = path?.let { Path.of(it) }?.takeIf { it.isAbsolute }
    }
}

/**
 * Kotlin's jar cache, except that a distribution's precompiled copy ([shippedFile]) is looked at first
 * and never written, and that an entry is written beside its place and renamed into it: two runners
 * compiling the same script at once (parallel CI jobs sharing a cache) never read a half-written jar.
 * An entry that cannot be written (no cache folder, or one this user cannot write) is reported to
 * [notKept] instead of failing the compile: the script runs all the same.
 */
private class AtomicJarsCache(
    private val shippedFile: (SourceCode) -> File?,
    scriptToFile: (SourceCode, ScriptCompilationConfiguration) -> File?,
    private val notKept: (SourceCode, String?) -> Unit,
) : CompiledScriptJarsCache(scriptToFile) {

    override fun get(script: SourceCode, scriptCompilationConfiguration: ScriptCompilationConfiguration): CompiledScript? =
        loadable { shippedFile(script)?.takeIf { it.isFile }?.loadScriptFromJar() }
            // Kotlin's own cache refuses a script without a file; here that is a script nobody compiled before
            ?: scriptToFile(script, scriptCompilationConfiguration)?.let { loadable { super.get(script, scriptCompilationConfiguration) } }

    /** A jar that does not load (not a jar, or one cut short) is compiled again, as if it were not there. */
    private fun loadable(load: () -> CompiledScript?): CompiledScript? =
        try {
            load()
        } catch (e: Exception) {
            null
        }

    override fun store(compiledScript: CompiledScript, script: SourceCode, scriptCompilationConfiguration: ScriptCompilationConfiguration) {
        val jvmScript = compiledScript as? KJvmCompiledScript ?: return
        val file = scriptToFile(script, scriptCompilationConfiguration) ?: return notKept(script, null)
        val tmp = File(file.parentFile, file.name + "." + ProcessHandle.current().pid() + "-" + Thread.currentThread().id + ".tmp")
        val saved = File(tmp.path + ".saved")
        try {
            Files.createDirectories(file.parentFile.toPath())
            jvmScript.saveToJar(saved)
            copyWithoutClassPath(saved, tmp)
            Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
        } catch (e: IOException) {
            notKept(script, e.message ?: e.javaClass.simpleName)
        } finally {
            saved.delete()
            tmp.delete()
        }
    }

    /**
     * Kotlin's jar names the compiling machine's copies of the runner's jars in its manifest's Class-Path,
     * and Kotlin loads a cached script only when every one of them exists: the distribution's precompiled
     * release.kts, made on the build machine, was compiled again on every user's machine. The classes come
     * from the runner's own class loader (the evaluation's base class loader) anyway.
     */
    private fun copyWithoutClassPath(from: File, to: File) {
        JarInputStream(from.inputStream()).use { input ->
            val manifest = input.manifest ?: Manifest()
            manifest.mainAttributes.remove(Attributes.Name.CLASS_PATH)
            JarOutputStream(to.outputStream(), manifest).use { output ->
                generateSequence { input.nextJarEntry }.forEach { entry ->
                    output.putNextEntry(JarEntry(entry.name))
                    input.copyTo(output)
                    output.closeEntry()
                }
            }
        }
    }
}
