package io.slipway.runner.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slipway.runner.model.Pipeline;
import java.util.Map;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import org.junit.jupiter.api.Test;

class SlipwayScriptEngineTest {

    @Test
    void theEngineIsFoundByNameAndEvaluatesToThePipelineModel() throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("slipway");
        assertNotNull(engine, "META-INF/services must register the factory");
        engine.put("version", "4.2.0");
        engine.put("params", Map.of("repository", "testpypi"));
        Object result = engine.eval("""
                pipeline("embedded") { job("a") { log("say", "v$version to ${param("repository", "pypi")}") } }
                """);
        Pipeline p = assertInstanceOf(Pipeline.class, result);
        assertEquals("embedded", p.name());
        assertEquals("v4.2.0 to testpypi", p.jobs().get(0).steps().get(0).inputs().get("message"));
    }

    @Test
    void errorsCarryLineAndColumnInTheExceptionFields() {
        ScriptEngine engine = new ScriptEngineManager().getEngineByExtension("release.kts");
        javax.script.ScriptException e = assertThrows(javax.script.ScriptException.class,
                () -> engine.eval("pipeline(\"x\") {\n  jb(\"a\") {}\n}"));
        assertEquals(2, e.getLineNumber());
        assertEquals(3, e.getColumnNumber());
    }
}
