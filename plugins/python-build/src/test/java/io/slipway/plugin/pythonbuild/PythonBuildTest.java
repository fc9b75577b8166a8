package io.slipway.plugin.pythonbuild;

import io.slipway.python.Sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("process")
class PythonBuildTest {

    @TempDir
    Path workspace;
    @TempDir
    Path state;

    /**
     * A python3 in {@code tools} that runs /usr/bin/python3, and first appends {@code what} (expanded by the
     * shell: "$TMPDIR", "$*") as a line to {@code log} when its arguments start with {@code args}.
     */
    private static Path recordingPython(Path tools, String args, String what, Path log) throws IOException {
        Path python = tools.resolve("python3");
        Files.writeString(python, "#!/bin/sh\ncase \"$*\" in '" + args + " '*) printf '%s\\n' \"" + what + "\" >> '" + log
                + "' ;; esac\nexec /usr/bin/python3 \"$@\"\n");
        assertTrue(python.toFile().setExecutable(true));
        return python;
    }

    private StepHarness harness(List<String> packages) {
        return StepHarness.of(new PythonBuild()).workspace(workspace).stateDir(state).version("1.2.0")
                .env("SLIPWAY_PYTHON", "/usr/bin/python3")
                .input("packages", packages).input("no-isolation", true);
    }

    @Test
    void twoPackagesBuildInParallelIntoOneSdistAndOneWheelEachWithTheirHashes() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        FixtureProject.write(workspace, "acme-cli", "1.2.0");
        try (StepHarness h = harness(List.of("acme-core", "acme-cli"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log()::toString);
            @SuppressWarnings("unchecked")
            List<String> files = (List<String>) run.outputs().get("files");
            assertEquals(List.of("acme-core-1.2.0.tar.gz", "acme_core-1.2.0-py3-none-any.whl",
                            "acme-cli-1.2.0.tar.gz", "acme_cli-1.2.0-py3-none-any.whl"),
                    files.stream().map(f -> Path.of(f).getFileName().toString()).toList());
            @SuppressWarnings("unchecked")
            Map<String, String> sha256 = (Map<String, String>) run.outputs().get("sha256");
            for (String f : files) {
                assertEquals(Sha256.of(Path.of(f)), sha256.get(f));
            }
            assertTrue(run.facts().get("built:acme-cli").contains(sha256.get(files.get(3))));
        }
    }

    @Test
    void theEggInfoSetuptoolsWritesIntoTheSourceTreeIsRemovedAgain() throws IOException {
        Path dir = FixtureProject.write(workspace, "acme-core", "1.2.0");
        try (StepHarness h = harness(List.of("acme-core"))) {
            assertEquals(StepResult.Status.SUCCEEDED, h.run().result().status());
        }
        try (var files = Files.walk(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".egg-info")).toList());
        }
    }

    @Test
    void aSecondRunWithUnchangedArtifactsDoesNotBuildAgain() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        Path wheel = workspace.resolve("acme-core/dist/acme_core-1.2.0-py3-none-any.whl");
        try (StepHarness h = harness(List.of("acme-core"))) {
            h.run();
        }
        Files.setLastModifiedTime(wheel, FileTime.fromMillis(0));

        try (StepHarness h = harness(List.of("acme-core"))) {
            StepHarness.Run run = h.run();

            assertEquals("already built 2 files", run.result().message());
            assertEquals(FileTime.fromMillis(0), Files.getLastModifiedTime(wheel));
        }
    }

    @Test
    void runAgainAfterAFixItBuildsTheFixedSourcesButNotForBytecodeOrTheReleaseScript() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        Path wheel = workspace.resolve("acme-core/dist/acme_core-1.2.0-py3-none-any.whl");
        try (StepHarness h = harness(List.of("acme-core"))) {
            h.run();
        }
        Files.createDirectories(workspace.resolve("acme-core/src/acme_core/__pycache__"));
        Files.writeString(workspace.resolve("acme-core/src/acme_core/__pycache__/x.cpython-311.pyc"), "tests ran");
        Files.writeString(workspace.resolve("acme-core/release.kts"), "// the pipeline is not the package");
        try (StepHarness h = harness(List.of("acme-core"))) {
            assertEquals("already built 2 files", h.run().result().message());
        }

        Files.writeString(workspace.resolve("acme-core/src/acme_core/fix.py"), "FIXED = True\n");
        try (StepHarness h = harness(List.of("acme-core"))) {
            StepHarness.Run run = h.run();

            assertEquals("built 2 files", run.result().message());
            assertTrue(String.join("\n", run.log()).contains("its sources changed since"), run.log().toString());
            try (var zip = new java.util.zip.ZipFile(wheel.toFile())) {
                assertTrue(zip.getEntry("acme_core/fix.py") != null, "the rebuilt wheel has the fix");
            }
        }
    }

    @Test
    void aChangedArtifactIsBuiltAgain() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        Path wheel = workspace.resolve("acme-core/dist/acme_core-1.2.0-py3-none-any.whl");
        try (StepHarness h = harness(List.of("acme-core"))) {
            h.run();
        }
        Files.writeString(wheel, "tampered");

        try (StepHarness h = harness(List.of("acme-core"))) {
            StepHarness.Run run = h.run();

            assertEquals("built 2 files", run.result().message());
            assertFalse(Files.readString(wheel, java.nio.charset.StandardCharsets.ISO_8859_1).equals("tampered"));
        }
    }

    @Test
    void staleArtifactsOfOtherVersionsOfTheProjectAreRemovedAndOtherFilesKept() throws IOException {
        Path dir = FixtureProject.write(workspace, "acme-core", "1.2.0");
        Path dist = Files.createDirectories(dir.resolve("dist"));
        Path stale = Files.writeString(dist.resolve("acme_core-1.1.0-py3-none-any.whl"), "old");
        Path staleLegacy = Files.writeString(dist.resolve("acme-core-1.1.0.tar.gz"), "old");
        Path other = Files.writeString(dist.resolve("other_project-1.1.0-py3-none-any.whl"), "other");
        try (StepHarness h = harness(List.of("acme-core"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log()::toString);
            assertFalse(Files.exists(stale));
            assertFalse(Files.exists(staleLegacy));
            assertTrue(Files.exists(other));
        }
    }

    @Test
    void aBuildThatCarriesAnotherVersionFailsNamingTheFile() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.1.9");
        try (StepHarness h = harness(List.of("acme-core"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().message().contains("acme-core-1.1.9.tar.gz with version 1.1.9, not the release version 1.2.0"),
                    run.result().message());
        }
    }

    @Test
    void aSharedOutDirHoldsTheArtifactsOfEveryPackage() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        FixtureProject.write(workspace, "acme-cli", "1.2.0");
        try (StepHarness h = harness(List.of("acme-core", "acme-cli")).input("out-dir", "dist")) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log()::toString);
            try (var files = Files.list(workspace.resolve("dist"))) {
                assertEquals(4, files.count());
            }
        }
    }

    @Test
    void missingBuildDependenciesWithoutIsolationAreNamedBeforeAnyPackageBuildsWithAHintAtSkipDependencyCheck() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        FixtureProject.write(workspace, "acme-cli", "1.2.0", "no-such-build-helper>=1");
        try (StepHarness h = harness(List.of("acme-core", "acme-cli"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().message().endsWith("which lacks build requirements: acme-cli needs no-such-build-helper>=1"),
                    run.result().message());
            assertTrue(run.result().hint().contains("--skip-dependency-check"), run.result().hint());
            assertFalse(Files.exists(workspace.resolve("acme-core/dist")), "a package was built: " + run.log());
        }
    }

    /**
     * PyPI would refuse to render one package's description: the build fails on twine check, naming that
     * package and twine's reason; that package is not journaled as built, the other is. One twine process
     * checks both packages' files (workspace-relative) in every run of the step: run again unchanged, the
     * failed package is built again and fails again, the other is not rebuilt; with the README fixed, the
     * check passes.
     */
    @Test
    void aReadmeThatPyPiCannotRenderFailsThatPackageAtTheOneTwineCheckOfEachRun(@TempDir Path tools) throws IOException {
        Path dir = FixtureProject.write(workspace, "acme-core", "1.2.0");
        FixtureProject.write(workspace, "acme-cli", "1.2.0");
        Files.writeString(dir.resolve("pyproject.toml"),
                Files.readString(dir.resolve("pyproject.toml")).replace("readme = \"README.md\"", "readme = \"README.rst\""));
        Files.writeString(dir.resolve("README.rst"), "Acme\n=\n\nSee `broken <\n");
        Path checks = tools.resolve("twine-checks.txt");
        Path python = recordingPython(tools, "-m twine check", "$*", checks);
        try (StepHarness h = harness(List.of("acme-core", "acme-cli")).env("SLIPWAY_PYTHON", python.toString())) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                StepHarness.Run run = h.run();

                assertEquals(StepResult.Status.FAILED, run.result().status(), run.log()::toString);
                assertTrue(run.result().message().startsWith("twine check of package \"acme-core\" failed"), run.result().message());
                assertTrue(run.result().message().contains("has syntax errors in markup"), run.result().message());
                assertFalse(run.result().message().contains("acme_cli"), run.result().message());
                assertTrue(run.result().hint().startsWith("fix the metadata twine reports"), run.result().hint());
                assertFalse(run.facts().containsKey("built:acme-core"), "journaled as built: " + run.facts());
                assertTrue(run.facts().containsKey("built:acme-cli"), "not journaled as built: " + run.facts());
                String log = String.join("\n", run.log());
                assertEquals(attempt == 2, log.contains("[acme-cli] already built"), log);
                assertTrue(log.contains("[acme-core] built "), log);
            }
            Files.writeString(dir.resolve("README.rst"), "Acme\n====\n\nFixed.\n");
            StepHarness.Run fixed = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, fixed.result().status(), fixed.log()::toString);
            assertTrue(fixed.facts().containsKey("built:acme-core"), fixed.facts()::toString);
        }
        List<String> calls = Files.readAllLines(checks);
        assertEquals(3, calls.size(), calls::toString);
        for (String call : calls) {
            List<String> words = List.of(call.split(" "));
            List<String> files = words.subList(3, words.size());
            assertEquals(4, files.size(), "files checked: " + calls);
            assertTrue(files.stream().allMatch(f -> f.startsWith("acme-")), "not relative to the workspace: " + calls);
        }
    }

    /** Checked once by Slipway, the requirements are not checked again by each build (two backend processes fewer). */
    @Test
    void aBuildWithoutIsolationWhoseRequirementsAreMetSkipsTheFrontendsOwnCheck() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        try (StepHarness h = harness(List.of("acme-core"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log()::toString);
            String log = String.join("\n", run.log());
            assertTrue(log.contains("python -m build --outdir ") && log.contains(" --no-isolation --skip-dependency-check "), log);
            assertFalse(log.contains("Getting build dependencies"), log);
        }
    }

    /**
     * The scratch folder is made in the user's TMPDIR, and the frontend's own temp folders (the sdist
     * unpacked to build the wheel from) inside it, where the sweep of a killed runner's folders finds them.
     */
    @Test
    void theBuildWorksInTheUsersTmpdirWithTheFrontendsTempFilesInsideItsScratchFolder(@TempDir Path tmpdir, @TempDir Path tools)
            throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        Path seen = tools.resolve("tmpdir-of-build.txt");
        Path python = recordingPython(tools, "-m build", "$TMPDIR", seen);
        try (StepHarness h = harness(List.of("acme-core")).env("SLIPWAY_PYTHON", python.toString()).env("TMPDIR", tmpdir.toString())) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log()::toString);
        }
        List<String> tmpdirs = Files.readAllLines(seen);
        assertEquals(1, tmpdirs.size(), tmpdirs::toString);
        String scratch = tmpdir.relativize(Path.of(tmpdirs.get(0))).toString();
        assertTrue(scratch.matches("slipway-build-" + ProcessHandle.current().pid() + "-\\d+/tmp"), scratch);
        try (var left = Files.list(tmpdir)) {
            assertEquals(List.of(), left.toList(), "the scratch folder is removed when the step ends");
        }
    }

    @Test
    void anIsolatedBuildThatCannotDownloadItsRequirementsHintsAtNoIsolation() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        // An index on a closed port and no find-links: the isolated build's pip cannot get setuptools.
        try (StepHarness h = harness(List.of("acme-core")).input("no-isolation", false)
                .unsetEnv("PIP_FIND_LINKS").env("PIP_CONFIG_FILE", "/dev/null")
                .env("PIP_INDEX_URL", "http://127.0.0.1:9/simple/").env("PIP_RETRIES", "0")) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().hint().contains("no-isolation"), run.result().hint());
        }
    }
}
