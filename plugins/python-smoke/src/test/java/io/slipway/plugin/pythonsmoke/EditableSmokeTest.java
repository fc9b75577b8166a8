package io.slipway.plugin.pythonsmoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("process")
class EditableSmokeTest {

    @TempDir
    Path workspace;
    @TempDir
    Path state;

    private StepHarness harness() {
        return StepHarness.of(new PythonSmoke()).workspace(workspace).stateDir(state).version("1.2.0")
                .env("SLIPWAY_PYTHON", "/usr/bin/python3")
                .input("editable", List.of("acme-core")).input("pip-args", List.of("--no-deps"));
    }

    @Test
    void anEditableInstallPassesImportVersionScriptAndCleanErrorChecks() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        try (StepHarness h = harness().input("imports", List.of("acme_core", "acme_core.cli"))
                .input("version-modules", List.of("acme_core")).input("scripts", List.of("acme-core"))
                .input("commands", List.of("acme-core bad input"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
            assertEquals("5 smoke checks passed", run.result().message());
        }
    }

    /** The venv is made in the user's TMPDIR, and the temp files of its processes (pip's) go inside the smoke's folder. */
    @Test
    void theSmokeWorksInTheUsersTmpdirAndItsProcessesTempFilesStayInsideItsFolder(@TempDir Path tmpdir) throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        // A command's check fails on a traceback, not on its exit code: the assertion prints one.
        String inside = "python -c \"import fnmatch, os; t = os.environ.get('TMPDIR', ''); assert fnmatch.fnmatch(t, '"
                + tmpdir + "/slipway-smoke-" + ProcessHandle.current().pid() + "-*/tmp'), t\"";
        try (StepHarness h = harness().env("TMPDIR", tmpdir.toString()).input("commands", List.of(inside))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
        }
        try (Stream<Path> left = Files.list(tmpdir)) {
            assertEquals(List.of(), left.toList(), "the smoke's folder is removed when the step ends");
        }
    }

    /**
     * What lets the editable smoke run beside the build: with a PEP 660 backend (setuptools 64 and
     * newer) pip builds the editable wheel in a temp folder, and the imports write no bytecode, so the
     * package folder the build reads is left as it was (this machine exports PYTHONDONTWRITEBYTECODE;
     * users' machines do not).
     */
    @Test
    void anEditableSmokeLeavesThePackageFolderAsItFoundIt() throws IOException {
        Path project = FixtureProject.write(workspace, "acme-core", "1.2.0");
        List<String> before = listing(project);
        try (StepHarness h = harness().unsetEnv("PYTHONDONTWRITEBYTECODE").input("imports", List.of("acme_core.cli"))
                .input("version-modules", List.of("acme_core")).input("scripts", List.of("acme-core"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
        }
        assertEquals(before, listing(project));
    }

    /**
     * The editable smoke can run beside the build, so no later step's rerun brings it back: after a fix to
     * its packages' sources it is stale by itself, while what a build leaves there does not count.
     */
    @Test
    void anEditableSmokeIsDoneUntilItsPackagesSourcesChange() throws IOException {
        Path project = FixtureProject.write(workspace, "acme-core", "1.2.0");
        try (StepHarness h = harness().input("version-modules", List.of("acme_core"))) {
            assertEquals(StepResult.Status.SUCCEEDED, h.run().result().status());
            Files.createDirectories(project.resolve("src/acme_core.egg-info"));
            Files.writeString(project.resolve("src/acme_core.egg-info/PKG-INFO"), "Name: acme-core\n");
            Files.createDirectories(project.resolve("src/acme_core/__pycache__"));
            Files.writeString(project.resolve("src/acme_core/__pycache__/cli.cpython-311.pyc"), "bytes");
            assertTrue(h.stillDone(), "what a build or an import writes is not a change to the sources");

            Files.writeString(project.resolve("src/acme_core/cli.py"), "\n# fixed\n", StandardOpenOption.APPEND);
            assertFalse(h.stillDone(), "the next run smokes the fixed sources again");
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }

    @Test
    void siblingsThatDependOnEachOtherInstallInOneCallWhateverTheirOrder() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        Path toml = FixtureProject.write(workspace, "acme-cli", "1.2.0").resolve("pyproject.toml");
        Files.writeString(toml, Files.readString(toml).replace("version = \"1.2.0\"\n",
                "version = \"1.2.0\"\ndependencies = [\"acme-core>=1.2.0\"]\n"));
        // No --no-deps and no index: acme-core can only come from the same pip call, listed after acme-cli.
        try (StepHarness h = StepHarness.of(new PythonSmoke()).workspace(workspace).stateDir(state).version("1.2.0")
                .env("SLIPWAY_PYTHON", "/usr/bin/python3").input("editable", List.of("acme-cli", "acme-core"))
                .input("version-modules", List.of("acme_cli", "acme_core")).input("scripts", List.of("acme-cli"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
            assertEquals("3 smoke checks passed", run.result().message());
        }
    }

    @Test
    void aVersionCopyThatWasNotBumpedFailsTheStep() throws IOException {
        Path project = FixtureProject.write(workspace, "acme-core", "1.2.0");
        FixtureProject.init(project, "__version__ = '1.1.0'\n");
        try (StepHarness h = harness().input("version-modules", List.of("acme_core"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().message().contains("acme_core.__version__ is \"1.1.0\", not the release version 1.2.0"),
                    run.result().message());
            assertTrue(run.result().hint().contains("--from build/python-build"), run.result().hint());
        }
    }

    @Test
    void inADryRunTheHintSaysToRunAgainWithoutFrom() throws IOException {
        Path project = FixtureProject.write(workspace, "acme-core", "1.2.0");
        FixtureProject.init(project, "__version__ = '1.1.0'\n");
        try (StepHarness h = harness().dryRun(true).input("version-modules", List.of("acme_core"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().hint().startsWith("fix the package, commit the fix and run the same command again: the dry"
                    + " run builds the fixed sources"), run.result().hint());
            assertFalse(run.result().hint().contains("--from"), run.result().hint());
        }
    }

    @Test
    void aCommandEndingInATracebackFailsTheStep() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        try (StepHarness h = harness().input("commands", List.of("acme-core crash"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().message().contains("\"acme-core crash\" ended in a Python traceback"),
                    run.result().message());
            assertTrue(run.result().message().contains("RuntimeError: boom"), run.result().message());
        }
    }
}
