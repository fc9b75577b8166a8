package io.slipway.plugin.pythonbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What python-build/check finds before a release changes anything, with Debian's real interpreter and setuptools. */
@Tag("process")
class BuildCheckTest {

    @TempDir
    Path workspace;
    @TempDir
    Path state;

    private StepHarness.Run check(String python, List<String> modules, List<String> packages) {
        try (StepHarness h = StepHarness.of(new BuildCheck()).workspace(workspace).stateDir(state).version("1.0.0")
                .env("SLIPWAY_PYTHON", python).input("modules", modules).input("packages", packages)) {
            return h.run();
        }
    }

    private void write(String file, String text) throws IOException {
        Files.createDirectories(workspace.resolve(file).getParent());
        Files.writeString(workspace.resolve(file), text);
    }

    @Test
    void aPackageWhoseBackendAgreesWithItsFilesPasses() throws IOException {
        FixtureProject.write(workspace, "acme-core", "0.9.0");

        StepHarness.Run run = check("/usr/bin/python3", List.of("build", "twine", "venv"), List.of("acme-core"));

        assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log()::toString);
        assertEquals("setuptools.build_meta", ((java.util.Map<?, ?>) run.outputs().get("backends")).get("acme-core"));
    }

    /** The packages are asked at the same time, each in a process of its own: a setup.py cannot change the next one's answer. */
    @Test
    void severalPackagesAreAskedTogetherWithoutOneSetupPyReachingTheNext() throws IOException {
        FixtureProject.write(workspace, "acme-core", "0.9.0");
        write("first/setup.py", """
                import setuptools
                setuptools.setup(name="first", version="1.0", py_modules=[])
                def poisoned(**kwargs):
                    raise RuntimeError("setup() was replaced by the first package's setup.py")
                setuptools.setup = poisoned
                """);
        write("second/setup.py", "from setuptools import setup\nsetup(name=\"second\", version=\"1.0\", py_modules=[])\n");

        StepHarness.Run run = check("/usr/bin/python3", List.of(), List.of("first", "second", "acme-core"));

        assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.result().message());
        assertEquals(List.of("first", "second", "acme-core"), List.copyOf(((java.util.Map<?, ?>) run.outputs().get("backends")).keySet()));
        assertTrue(run.result().message().endsWith("the build backend answers for 3 package(s)"), run.result().message());
    }

    @Test
    void askingTheBackendLeavesNothingInTheTemporaryFolder(@TempDir Path tmp) throws IOException {
        FixtureProject.write(workspace, "acme-core", "0.9.0");
        StepHarness.Run run;
        try (StepHarness h = StepHarness.of(new BuildCheck()).workspace(workspace).stateDir(state).version("1.0.0")
                .env("SLIPWAY_PYTHON", "/usr/bin/python3").env("TMPDIR", tmp.toString())
                .input("packages", List.of("acme-core"))) {
            run = h.run();
        }

        assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log()::toString);
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "what the backend's metadata left in TMPDIR");
        }
    }

    @Test
    void aMissingModuleIsNamedWithTheDebianPackageThatHasIt() {
        StepHarness.Run run = check("/usr/bin/python3", List.of("build", "no_such_module_here"), List.of());

        assertEquals(StepResult.Status.FAILED, run.result().status());
        assertEquals("/usr/bin/python3 has no no_such_module_here, which this release runs", run.result().message());
        assertTrue(run.result().hint().contains("apt-get install python3-no_such_module_here"), run.result().hint());
    }

    @Test
    void anInterpreterThatDoesNotExistIsRefusedWithTheOptionToFixIt() {
        StepHarness.Run run = check("/nonexistent/python3", List.of("build"), List.of());

        assertEquals(StepResult.Status.FAILED, run.result().status());
        assertTrue(run.result().message().startsWith("the release's Python, /nonexistent/python3, cannot be run"),
                run.result().message());
        assertTrue(run.result().hint().contains("--python"), run.result().hint());
    }

    @Test
    void aBackendThatIsNotInstalledIsFoundBeforeTheRelease() throws IOException {
        write("pkg/pyproject.toml", "[build-system]\nrequires = [\"nonexistent-backend\"]\nbuild-backend = \"nonexistent_backend.api\"\n"
                + "[project]\nname = \"pkg\"\nversion = \"1.0\"\n");

        StepHarness.Run run = check("/usr/bin/python3", List.of(), List.of("pkg"));

        assertEquals(StepResult.Status.FAILED, run.result().status());
        assertTrue(run.result().message().startsWith("the build backend of pkg cannot prepare its metadata: ModuleNotFoundError"),
                run.result().message());
    }

    /** Found at the build, a missing requirement would stop the release after its commit. */
    @Test
    void aBuildWithoutIsolationWhoseRequirementsTheInterpreterLacksIsRefusedNamingEach() throws IOException {
        FixtureProject.write(workspace, "acme-core", "0.9.0");
        FixtureProject.write(workspace, "acme-cli", "0.9.0", "no-such-build-helper>=1", "setuptools>=9999");

        StepHarness.Run run;
        try (StepHarness h = StepHarness.of(new BuildCheck()).workspace(workspace).stateDir(state).version("1.0.0")
                .env("SLIPWAY_PYTHON", "/usr/bin/python3").input("packages", List.of("acme-core", "acme-cli"))
                .input("build-args", List.of("--no-isolation"))) {
            run = h.run();
        }

        assertEquals(StepResult.Status.FAILED, run.result().status(), run.log()::toString);
        assertTrue(run.result().message().endsWith("which lacks build requirements: acme-cli needs no-such-build-helper>=1, setuptools>=9999"),
                run.result().message());
        assertTrue(run.result().hint().contains("--skip-dependency-check"), run.result().hint());
    }

    @Test
    void anIsolatedBuildGetsItsRequirementsItselfSoTheInterpretersAreNotChecked() throws IOException {
        FixtureProject.write(workspace, "acme-cli", "0.9.0", "no-such-build-helper>=1");

        StepHarness.Run isolated = check("/usr/bin/python3", List.of(), List.of("acme-cli"));
        StepHarness.Run skipped;
        try (StepHarness h = StepHarness.of(new BuildCheck()).workspace(workspace).stateDir(state).version("1.0.0")
                .env("SLIPWAY_PYTHON", "/usr/bin/python3").input("packages", List.of("acme-cli"))
                .input("no-isolation", true).input("build-args", List.of("--skip-dependency-check"))) {
            skipped = h.run();
        }

        assertEquals(StepResult.Status.SUCCEEDED, isolated.result().status(), isolated.log()::toString);
        assertEquals(StepResult.Status.SUCCEEDED, skipped.result().status(), skipped.log()::toString);
    }

    @Test
    void aNameTheBackendAndTheFilesDisagreeOnIsRefused() throws IOException {
        // setup.cfg says one name, setup.py computes another, and setuptools takes setup.py's
        write("pkg/setup.cfg", "[metadata]\nname = files-name\nversion = 1.0\n");
        write("pkg/setup.py", "from setuptools import setup\nsetup(name='-'.join(['code', 'name']), py_modules=[])\n");

        StepHarness.Run run = check("/usr/bin/python3", List.of(), List.of("pkg"));

        assertEquals(StepResult.Status.FAILED, run.result().status());
        assertEquals("the build backend of pkg names the project \"code-name\", its files name it \"files-name\"",
                run.result().message());
    }
}
