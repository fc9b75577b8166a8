package io.slipway.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run(...) takes a command line for the shell, as a GitHub Actions run: step does, or an argv list for no shell. */
@Tag("process")
class ShellCommandTest {

    @TempDir
    Path dir;

    @Test
    void assignmentsPipesAndAndAreTheShellsAndTheLogShowsTheLineAsWritten() throws Exception {
        Files.writeString(dir.resolve("release.kts"), """
                pipeline("release") {
                    job("test") {
                        run("tests", "GREETING=hello sh -c 'echo \\$GREETING from a child' && echo second | tr a-z A-Z")
                        run("argv", listOf("printf", "[%s]\\\\n", "a b; echo not a command"))
                    }
                }
                """);
        var r = Runner.run(dir, "release.kts", "--version", "1.0.0");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("hello from a child"), r::toString);
        assertTrue(r.out().contains("SECOND"), r::toString);
        assertTrue(r.out().contains("[a b; echo not a command]"), "argv: no shell:\n" + r);
        String log = Files.readString(dir.resolve(".slipway/logs/release-1.0.0.log"));
        assertTrue(log.contains("$ GREETING=hello sh -c 'echo $GREETING from a child' && echo second | tr a-z A-Z"), log);
    }

    @Test
    void aCommandTheShellCannotParseIsRefusedBeforeAnythingRuns() throws Exception {
        Files.writeString(dir.resolve("release.kts"), """
                pipeline("release") {
                    job("prepare") { run("first", "touch first-ran") }
                    job("test", needs = "prepare") { run("tests", "python3 -m pytest 'tests") }
                }
                """);
        var r = Runner.run(dir, "release.kts", "--version", "1.0.0");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("release.kts:3"), r::toString);
        assertTrue(r.err().contains("input 'command' is a command the shell cannot parse"), r::toString);
        assertFalse(Files.exists(dir.resolve("first-ran")), "nothing ran");
        assertFalse(Files.exists(dir.resolve(".slipway/release/1.0.0/journal.json")), "no journal");
    }
}
