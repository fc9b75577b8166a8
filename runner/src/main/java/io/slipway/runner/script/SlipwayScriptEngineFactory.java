package io.slipway.runner.script;

import java.util.List;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;

/**
 * The {@code javax.script} face of release.kts, for JVM tools that embed Slipway pipelines:
 * {@code new ScriptEngineManager().getEngineByName("slipway").eval(text)} returns the
 * {@link io.slipway.runner.model.Pipeline} the script declares. Bindings {@code version} (String),
 * {@code params} ({@code Map<String,String>}) and {@code dryRun} (Boolean) set the release scope.
 *
 * <p>It evaluates through the same {@link ScriptHost} as the runner rather than Kotlin's generic
 * JSR-223 engine: that engine recompiles on every call (~6 s here) and reports errors with line -1.
 */
public final class SlipwayScriptEngineFactory implements ScriptEngineFactory {

    @Override
    public String getEngineName() {
        return "Slipway release.kts";
    }

    @Override
    public String getEngineVersion() {
        return io.slipway.spi.Spi.VERSION;
    }

    @Override
    public List<String> getExtensions() {
        return List.of("release.kts");
    }

    @Override
    public List<String> getMimeTypes() {
        return List.of();
    }

    @Override
    public List<String> getNames() {
        return List.of("slipway", "release.kts");
    }

    @Override
    public String getLanguageName() {
        return "kotlin";
    }

    @Override
    public String getLanguageVersion() {
        return kotlin.KotlinVersion.CURRENT.toString();
    }

    @Override
    public Object getParameter(String key) {
        return switch (key) {
            case ScriptEngine.ENGINE -> getEngineName();
            case ScriptEngine.ENGINE_VERSION -> getEngineVersion();
            case ScriptEngine.NAME -> getNames().get(0);
            case ScriptEngine.LANGUAGE -> getLanguageName();
            case ScriptEngine.LANGUAGE_VERSION -> getLanguageVersion();
            default -> null;
        };
    }

    @Override
    public String getMethodCallSyntax(String obj, String m, String... args) {
        return obj + "." + m + "(" + String.join(", ", args) + ")";
    }

    @Override
    public String getOutputStatement(String toDisplay) {
        return "println(\"" + toDisplay.replace("\"", "\\\"") + "\")";
    }

    @Override
    public String getProgram(String... statements) {
        return String.join("\n", statements);
    }

    @Override
    public ScriptEngine getScriptEngine() {
        return new SlipwayScriptEngine(this);
    }
}
