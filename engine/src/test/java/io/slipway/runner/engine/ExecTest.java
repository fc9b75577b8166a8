package io.slipway.runner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slipway.runner.console.Masker;
import io.slipway.spi.ExecRequest;
import io.slipway.spi.ExecResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("process")
class ExecTest {

    @Test
    void childToolsAreAskedForNoColoursAndTheColoursTheyPrintAnywayAreStripped() throws Exception {
        // A tool that colours whatever its environment says, and reports what it was told.
        String script = "printf '\\033[1;31mred\\033[0m \\033]8;;https://example.org\\007link\\033]8;;\\007 NO_COLOR=%s FORCE_COLOR=%s"
                + " CLICOLOR_FORCE=%s PY_COLORS=%s\\n' \"${NO_COLOR-unset}\" \"${FORCE_COLOR-unset}\" \"${CLICOLOR_FORCE-unset}\""
                + " \"${PY_COLORS-unset}\"";
        List<String> lines = new ArrayList<>();
        ExecResult result = new Exec(new Masker()).run(ExecRequest.of("sh", "-c", script), Path.of("."),
                Map.of("PATH", System.getenv("PATH"), "FORCE_COLOR", "1", "CLICOLOR_FORCE", "1", "PY_COLORS", "1"),
                lines::add, "");

        String expected = "red link NO_COLOR=1 FORCE_COLOR=unset CLICOLOR_FORCE=unset PY_COLORS=unset";
        assertEquals(List.of(expected), result.output());
        assertEquals(List.of(expected), lines);
    }
}
