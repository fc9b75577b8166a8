package io.slipway.plugin.localindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.python.IndexClient;
import io.slipway.python.IndexException;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.PipelineEnd;
import io.slipway.spi.StepResult;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("process")
class LocalIndexStepTest {

    @TempDir
    Path workspace;
    @TempDir
    Path state;

    private StepHarness harness() {
        return StepHarness.of(new LocalIndexStep()).workspace(workspace).stateDir(state)
                .env("SLIPWAY_PYTHON", RealPython.PYTHON);
    }

    private static IndexClient client(String url) {
        return IndexClient.builder(URI.create(url)).attempts(1).timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void servesUploadsFromTheUploadUrlAtTheUrlUntilThePipelineEnds() throws Exception {
        List<Path> dists = RealPython.build(workspace.resolve("project"), "acme-core", "0.4.0", "step");
        StepHarness h = harness().input("storage", "index").input("username", "ci").input("password", "t0ken");
        StepHarness.Run run = h.run();
        assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log().toString());
        String url = (String) run.outputs().get("url");
        assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/simple/"), url);

        assertEquals(0, RealPython.upload((String) run.outputs().get("upload-url"), "ci", "t0ken", dists).exitCode());
        assertEquals(2, client(url).files("acme-core").orElseThrow().files().size());

        h.end(PipelineEnd.Outcome.SUCCEEDED);
        assertThrows(IndexException.class, () -> client(url).files("acme-core"));
        assertTrue(Files.isDirectory(workspace.resolve("index")), "a given storage directory is kept");
    }

    @Test
    void eachGenerationHasItsOwnIndexAndTheSameGenerationFindsItsFilesAgain() throws Exception {
        List<Path> dists = RealPython.build(workspace.resolve("project"), "acme-core", "0.4.0", "step");
        Map<String, String> first = Map.of("acme_core-0.4.0.tar.gz", "aaa");
        Map<String, Object> firstRun = serve(first);
        String url = (String) firstRun.get("url");
        assertEquals(0, RealPython.upload(url, "anonymous", "no-password-needed", dists).exitCode());
        assertEquals(2, client(url).files("acme-core").map(f -> f.files().size()).orElse(0));
        harnessEnd();

        Map<String, Object> rebuilt = serve(Map.of("acme_core-0.4.0.tar.gz", "bbb"));
        assertEquals(0, client((String) rebuilt.get("url")).files("acme-core").map(f -> f.files().size()).orElse(0),
                "a rebuilt generation starts empty");
        assertNotEquals(firstRun.get("identity"), rebuilt.get("identity"), "a new generation is another index");
        harnessEnd();
        Map<String, Object> again = serve(first);
        assertEquals(2, client((String) again.get("url")).files("acme-core").map(f -> f.files().size()).orElse(0),
                "the first one is kept");
        assertEquals(firstRun.get("identity"), again.get("identity"), "the same generation is the same index on another port");
        harnessEnd();
    }

    private StepHarness running;

    /** Starts the index on storage "index" for a generation; returns its outputs. */
    private Map<String, Object> serve(Map<String, String> generation) {
        running = harness().input("storage", "index").input("generation", generation);
        StepHarness.Run run = running.run();
        assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log().toString());
        return run.outputs();
    }

    private void harnessEnd() {
        running.end(PipelineEnd.Outcome.SUCCEEDED);
    }

    @Test
    void withoutStorageItUsesATemporaryDirectoryRemovedAtTheEnd() throws Exception {
        List<Path> before = temporaryStorages();
        StepHarness h = harness();
        StepHarness.Run run = h.run();
        assertEquals(StepResult.Status.SUCCEEDED, run.result().status());
        assertTrue(run.result().message().contains("anyone may upload"), run.result().message());
        List<Path> created = temporaryStorages().stream().filter(p -> !before.contains(p)).toList();
        assertEquals(1, created.size(), created.toString());

        h.end(PipelineEnd.Outcome.FAILED);
        assertFalse(Files.exists(created.get(0)));
    }

    private static List<Path> temporaryStorages() throws Exception {
        try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.filter(p -> p.getFileName().toString().startsWith("slipway-local-index")).toList();
        }
    }

    @Test
    void thePasswordStaysOutOfTheLogAndJournal() throws Exception {
        try (StepHarness h = harness().input("username", "ci").input("password", "t0ken-secret")) {
            StepHarness.Run run = h.run();
            assertEquals(StepResult.Status.SUCCEEDED, run.result().status());
            assertFalse(h.consoleText().contains("t0ken-secret"));
            assertFalse(Files.readString(h.journalFile()).contains("t0ken-secret"));
        }
    }

    @Test
    void aUsernameWithoutPasswordFailsWithAHint() {
        try (StepHarness h = harness().input("username", "ci")) {
            StepHarness.Run run = h.run();
            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertEquals("local-index got a username without a password for uploads", run.result().message());
            assertTrue(run.result().hint().contains("'username' and 'password'"));
        }
    }
}
