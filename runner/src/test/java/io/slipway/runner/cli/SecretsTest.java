package io.slipway.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets the runner is given on its command line and in its environment. */
@Tag("process")
class SecretsTest {

    private static final String TWINE_PASSWORD = "twine-pw-4711";
    private static final String URL_PASSWORD = "index-pw-4711";
    private static final String INDEX = "https://ci:" + URL_PASSWORD + "@pkgs.example/simple/";

    @TempDir
    Path dir;

    @BeforeEach
    void script() throws Exception {
        Files.writeString(dir.resolve("release.kts"), """
                val index = param("index-url", "https://pypi.org/simple/")
                println("evaluating with " + env("TWINE_PASSWORD") + " for " + index)
                System.err.println("on stderr too: " + env("TWINE_PASSWORD"))
                pipeline("release") {
                    job("show") {
                        log("index", "reading " + index)
                        run("print", listOf("sh", "-c", "echo $TWINE_PASSWORD; echo %s >&2"))
                    }
                }
                """.replace("$TWINE_PASSWORD", "\\$TWINE_PASSWORD").formatted(URL_PASSWORD));
    }

    @Test
    void whatTheScriptPrintsWhileEvaluatedAndEveryRecordOfTheRunAreMasked() throws Exception {
        // A process of its own: --debug turns the libraries' logging up, which is set once per JVM.
        var r = Runner.start(dir, Map.of("TWINE_PASSWORD", TWINE_PASSWORD),
                "release.kts", "--version", "1.0", "--set", "index-url=" + INDEX, "--debug").await();

        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("evaluating with *** for https://pkgs.example/simple/"), r::toString);
        assertTrue(r.err().contains("on stderr too: ***"), r::toString);
        assertTrue(r.out().contains("reading https://pkgs.example/simple/"), r::toString);
        assertNoSecret(r.out() + r.err());
        try (Stream<Path> files = Files.walk(dir.resolve(".slipway"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertNoSecret(f + ":\n" + Files.readString(f));
            }
        }
    }

    @Test
    void thePlanShowsUrlsWithoutTheirCredentials() throws Exception {
        for (List<String> command : List.of(List.of("validate", "release.kts"), List.of("release.kts", "--version", "1.0", "--plan"))) {
            String[] args = Stream.concat(command.stream(), Stream.of("--set", "index-url=" + INDEX)).toArray(String[]::new);
            var r = Runner.run(dir, Map.of("TWINE_PASSWORD", TWINE_PASSWORD), args);

            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().contains("message = reading https://pkgs.example/simple/"), r::toString);
            assertNoSecret(r.out() + r.err());
        }
    }

    private static void assertNoSecret(String text) {
        assertFalse(text.contains(TWINE_PASSWORD) || text.contains(URL_PASSWORD) || text.contains("//ci:"), text);
    }
}
