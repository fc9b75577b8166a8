package io.slipway.plugin.pythonsmoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.plugin.localindex.LocalIndex;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("process")
class IndexSmokeTest {

    @TempDir
    Path workspace;
    @TempDir
    Path state;
    LocalIndex index;

    @BeforeEach
    void startIndex() {
        index = LocalIndex.start(state.resolve("index"));
    }

    @AfterEach
    void stopIndex() {
        index.close();
    }

    private StepHarness harness() {
        return StepHarness.of(new PythonSmoke()).workspace(workspace).stateDir(state).version("1.2.0")
                .env("SLIPWAY_PYTHON", "/usr/bin/python3")
                .input("packages", List.of("acme-core")).input("index-url", index.simpleUrl());
    }

    @Test
    void theReleaseInstalledFromTheIndexPassesItsChecks() throws Exception {
        FixtureProject.publish(FixtureProject.write(workspace, "acme-core", "1.2.0"), index.uploadUrl());
        try (StepHarness h = harness().input("imports", List.of("acme_core.cli"))
                .input("version-modules", List.of("acme_core")).input("scripts", List.of("acme-core"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
            assertTrue(run.log().stream().anyMatch(l -> l.contains("Successfully installed acme-core-1.2.0")),
                    () -> String.join("\n", run.log()));
        }
    }

    @Test
    void credentialsWrittenIntoTheIndexUrlReachPipThroughItsEnvironmentOnly() throws Exception {
        FixtureProject.publish(FixtureProject.write(workspace, "acme-core", "1.2.0"), index.uploadUrl());
        // The interpreter records its arguments, so the test sees pip's command line as the OS does.
        Path argv = state.resolve("argv.txt");
        Path python = Files.writeString(state.resolve("python"),
                "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + argv + "'\nexec /usr/bin/python3 \"$@\"\n");
        assertTrue(python.toFile().setExecutable(true));
        try (StepHarness h = harness().env("SLIPWAY_PYTHON", python.toString())
                .input("index-url", index.simpleUrl().replace("http://", "http://reader:index-pw-4711@"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
            String commandLines = Files.readString(argv);
            assertTrue(commandLines.contains(" install --no-cache-dir acme-core==1.2.0"), commandLines);
            assertFalse(commandLines.contains("index-pw-4711"), commandLines);
        }
    }

    @Test
    void aPackageWhoseImportFailsFailsTheStepWithTheTracebackInTheLog() throws Exception {
        Path project = FixtureProject.write(workspace, "acme-core", "1.2.0");
        FixtureProject.init(project, "import acme_missing_dependency\n__version__ = '1.2.0'\n");
        FixtureProject.publish(project, index.uploadUrl());
        try (StepHarness h = harness().input("imports", List.of("acme_core"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            String log = String.join("\n", run.log());
            assertTrue(log.contains("Traceback (most recent call last)"), log);
            assertTrue(log.contains("ModuleNotFoundError: No module named 'acme_missing_dependency'"), log);
        }
    }

    @Test
    void aVersionTheIndexDoesNotHaveFailsNamingTheRequirement() throws Exception {
        FixtureProject.publish(FixtureProject.write(workspace, "acme-core", "1.1.0"), index.uploadUrl());
        try (StepHarness h = harness()) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().message().contains("pip install acme-core==1.2.0 from " + index.simpleUrl()),
                    run.result().message());
        }
    }
}
