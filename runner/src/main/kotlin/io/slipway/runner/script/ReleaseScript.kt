package io.slipway.runner.script

import kotlin.script.experimental.annotations.KotlinScript
import kotlin.script.experimental.api.ScriptCompilationConfiguration
import kotlin.script.experimental.api.defaultImports
import kotlin.script.experimental.api.implicitReceivers
import kotlin.script.experimental.jvm.dependenciesFromClassContext
import kotlin.script.experimental.jvm.jvm

/** The script definition of release.kts: DSL imports and [ReleaseScope] as the implicit receiver. */
@KotlinScript(fileExtension = "release.kts", compilationConfiguration = ReleaseScriptDefinition::class)
abstract class ReleaseScript

object ReleaseScriptDefinition : ScriptCompilationConfiguration({
    defaultImports(
        "io.slipway.runner.script.output",
        "kotlin.time.Duration.Companion.seconds",
        "kotlin.time.Duration.Companion.minutes",
    )
    implicitReceivers(ReleaseScope::class)
    jvm {
        dependenciesFromClassContext(ReleaseScope::class, wholeClasspath = true)
    }
})
