package io.slipway.runner.script

import kotlin.script.experimental.annotations.KotlinScript
import kotlin.script.experimental.api.ScriptCompilationConfiguration
import kotlin.script.experimental.api.defaultImports
import kotlin.script.experimental.api.implicitReceivers
import io.slipway.python.project.Inspection
import io.slipway.runner.model.OutputRef
import java.io.File
import kotlin.script.experimental.jvm.updateClasspath
import kotlin.script.experimental.jvm.jvm

/** The script definition of release.kts: DSL imports and [ReleaseScope] as the implicit receiver. */
@KotlinScript(fileExtension = RELEASE_SCRIPT_EXTENSION, compilationConfiguration = ReleaseScriptDefinition::class)
abstract class ReleaseScript

internal const val RELEASE_SCRIPT_EXTENSION = "release.kts"

object ReleaseScriptDefinition : ScriptCompilationConfiguration({
    defaultImports(
        "io.slipway.runner.script.output",
        "kotlin.time.Duration.Companion.seconds",
        "kotlin.time.Duration.Companion.minutes",
    )
    implicitReceivers(ReleaseScope::class)
    jvm {
        updateClasspath(scriptClasspath)
    }
})

/**
 * What a compiled script links against, and so what its cache entry depends on: the DSL (runner),
 * the pipeline model it builds (engine), the types [ReleaseScope.inspect] returns (python-support)
 * and the Kotlin stdlib. Handing the
 * compiler the whole runtime classpath (~100 MB with the compiler itself) makes every cold compile slower.
 */
internal val scriptClasspath: List<File> = listOf(ReleaseScope::class, OutputRef::class, Unit::class, Inspection::class)
    .map { File(it.java.protectionDomain.codeSource.location.toURI()) }.distinct()
