package io.slipway.runner.script;

import java.io.IOException;
import java.io.Reader;
import java.util.Map;
import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptEngineFactory;
import javax.script.SimpleBindings;

/** See {@link SlipwayScriptEngineFactory}. Each eval evaluates a whole script; no state is kept between calls. */
final class SlipwayScriptEngine extends AbstractScriptEngine {

    private final ScriptEngineFactory factory;

    SlipwayScriptEngine(ScriptEngineFactory factory) {
        this.factory = factory;
    }

    @Override
    public Object eval(String script, ScriptContext context) throws javax.script.ScriptException {
        Object version = context.getAttribute("version");
        Object params = context.getAttribute("params");
        Object dryRun = context.getAttribute("dryRun");
        Object file = context.getAttribute(FILENAME);
        @SuppressWarnings("unchecked")
        Map<String, String> given = params instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
        ReleaseScope scope = new ReleaseScope(version != null ? version.toString() : "0.0.0", given,
                Boolean.TRUE.equals(dryRun), java.nio.file.Path.of("").toAbsolutePath());
        try {
            return new ScriptHost(ScriptHost.defaultCacheDir(System.getenv()))
                    .evaluate(script, file != null ? file.toString() : "release.kts", scope);
        } catch (ScriptException e) {
            var first = e.getErrors().get(0).getFirst();
            throw new javax.script.ScriptException(e.getMessage(), first.file(), first.line(), first.column());
        }
    }

    @Override
    public Object eval(Reader reader, ScriptContext context) throws javax.script.ScriptException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[8192];
        try {
            for (int n; (n = reader.read(buf)) > 0; ) {
                sb.append(buf, 0, n);
            }
        } catch (IOException e) {
            throw new javax.script.ScriptException(e);
        }
        return eval(sb.toString(), context);
    }

    @Override
    public Bindings createBindings() {
        return new SimpleBindings();
    }

    @Override
    public ScriptEngineFactory getFactory() {
        return factory;
    }
}
