package io.slipway.plugin.pypicheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsCheckTest {

    @TempDir
    Path home;
    @TempDir
    Path state;

    /** A step environment with none of this machine's credentials: HOME is a temp dir. */
    private StepHarness harness() {
        StepHarness h = StepHarness.of(new CredentialsCheck()).workspace(home).stateDir(state).env("HOME", home.toString());
        for (String name : List.of("PYPI_TOKEN", "TESTPYPI_TOKEN", "TWINE_USERNAME", "TWINE_PASSWORD", "TWINE_REPOSITORY",
                "TWINE_REPOSITORY_URL", "ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN")) {
            h.unsetEnv(name);
        }
        return h;
    }

    @Test
    void namesTheSourceOfEachTargetAndWarnsForTheMissingOne() {
        try (StepHarness h = harness().env("PYPI_TOKEN", "pypi-very-secret").input("targets", List.of("pypi", "testpypi"))) {
            StepHarness.Run run = h.run();
            assertEquals(StepResult.Status.SUCCEEDED, run.result().status());
            assertEquals("no upload credentials for testpypi (warning)", run.result().message());
            assertEquals(Map.of("pypi", "PYPI_TOKEN", "testpypi", ""), run.outputs().get("sources"));
            assertTrue(h.consoleText().contains("set TESTPYPI_TOKEN to an API token"), h.consoleText());
            assertFalse(h.consoleText().contains("pypi-very-secret"));
        }
    }

    @Test
    void failsForAMissingTargetWhenThePolicyIsFail() {
        try (StepHarness h = harness().input("targets", List.of("pypi")).input("missing", "fail")) {
            StepHarness.Run run = h.run();
            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertEquals("no upload credentials for pypi", run.result().message());
            assertTrue(run.result().hint().startsWith("set PYPI_TOKEN"), run.result().hint());
        }
    }

    @Test
    void readsTheGivenConfigFileRelativeToTheWorkspace() throws Exception {
        Files.writeString(home.resolve("ci.pypirc"), "[testpypi]\nusername = __token__\npassword = pypi-x\n");
        try (StepHarness h = harness().input("targets", List.of("testpypi")).input("config-file", "ci.pypirc")) {
            StepHarness.Run run = h.run();
            assertEquals(StepResult.Status.SUCCEEDED, run.result().status());
            assertEquals(Map.of("testpypi", home.resolve("ci.pypirc") + " [testpypi]"), run.outputs().get("sources"));
        }
    }

    @Test
    void aMissingConfigFileFailsNamingIt() {
        try (StepHarness h = harness().input("config-file", "nowhere.pypirc")) {
            StepHarness.Run run = h.run();
            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().message().startsWith("config-file \"nowhere.pypirc\" does not exist"),
                    run.result().message());
        }
    }

    @Test
    void refusesAnUnknownPolicy() {
        try (StepHarness h = harness().input("missing", "ignore")) {
            StepHarness.Run run = h.run();
            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertEquals("input missing is \"ignore\"", run.result().message());
        }
    }
}
