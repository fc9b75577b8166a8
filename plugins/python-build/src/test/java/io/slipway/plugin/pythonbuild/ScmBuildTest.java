package io.slipway.plugin.pythonbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.spi.StepResult;
import io.slipway.testkit.StepHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A setuptools-scm project in a git repository, built as the reference pipeline builds it: what a
 * dry run tells the backend, and the version file the backend writes into the source tree.
 */
@Tag("process")
class ScmBuildTest {

    @TempDir
    Path workspace;
    @TempDir
    Path state;

    private StepHarness harness(boolean dryRun) {
        return StepHarness.of(new PythonBuild()).workspace(workspace).stateDir(state).version("1.2.0").dryRun(dryRun)
                .env("SLIPWAY_PYTHON", "/usr/bin/python3")
                .input("packages", List.of(".")).input("no-isolation", true).input("out-dir", ".slipway/dist");
    }

    /** sounding 1.1.0 (tagged v1.1.0) and a commit since, its version written to src/sounding/_version.py, which .gitignore lists when asked. */
    private Git project(boolean ignoreVersionFile) throws Exception {
        Files.writeString(workspace.resolve("pyproject.toml"), """
                [build-system]
                requires = ["setuptools>=61", "setuptools-scm>=7"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "sounding"
                dynamic = ["version"]
                description = "a fixture"
                readme = "README.md"

                [tool.setuptools.packages.find]
                where = ["src"]

                [tool.setuptools_scm]
                write_to = "src/sounding/_version.py"
                """);
        Files.writeString(workspace.resolve("README.md"), "# sounding\n");
        Files.writeString(workspace.resolve("CHANGELOG.md"), "# Changelog\n\n## Unreleased\n\n- Fathoms.\n");
        Files.writeString(workspace.resolve(".gitignore"), "*.egg-info/\n.slipway/\n"
                + (ignoreVersionFile ? "src/sounding/_version.py\n" : ""));
        Path pkg = Files.createDirectories(workspace.resolve("src/sounding"));
        Files.writeString(pkg.resolve("__init__.py"), "def fathoms(metres):\n    return metres / 1.8288\n");
        Git git = Git.init().setDirectory(workspace.toFile()).setInitialBranch("main").call();
        StoredConfig config = git.getRepository().getConfig();
        config.setInt("gc", null, "auto", 0);
        config.setString("user", null, "name", "Release Tester");
        config.setString("user", null, "email", "release@slipway.invalid");
        config.save();
        git.add().addFilepattern(".").call();
        git.commit().setMessage("sounding 1.1.0").call();
        git.tag().setName("v1.1.0").setAnnotated(true).setMessage("Release v1.1.0").call();
        Files.writeString(pkg.resolve("__init__.py"), "def fathoms(metres):\n    return round(metres / 1.8288, 2)\n");
        git.commit().setAll(true).setMessage("fathoms rounded").call();
        return git;
    }

    /** Where a dry run of the reference pipeline stands at the build: the start commit tagged, the changelog edited. */
    private static void asInADryRun(Git git, Path workspace) throws Exception {
        git.tag().setName("v1.2.0").setAnnotated(true).setMessage("Release v1.2.0").call();
        Files.writeString(workspace.resolve("CHANGELOG.md"), "# Changelog\n\n## Unreleased\n\n## 1.2.0\n\n- Fathoms.\n");
    }

    @Test
    void aDryRunBuildsTheReleaseVersionOfAVersionFromTheTag() throws Exception {
        try (Git git = project(true)) {
            asInADryRun(git, workspace);
            try (StepHarness h = harness(true)) {
                StepHarness.Run run = h.run();

                assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log()::toString);
                String log = String.join("\n", run.log());
                assertTrue(log.contains("dry run: the version comes from the release tag"), log);
                assertTrue(log.contains("the build is given 1.2.0 (SETUPTOOLS_SCM_PRETEND_VERSION)"), log);
                assertTrue(Files.exists(workspace.resolve(".slipway/dist/sounding-1.2.0.tar.gz")));
                assertTrue(Files.exists(workspace.resolve(".slipway/dist/sounding-1.2.0-py3-none-any.whl")));
                assertFalse(Files.exists(workspace.resolve("src/sounding/_version.py")), "the version file the build wrote");
            }
        }
    }

    @Test
    void aRealRunIsNotToldTheVersionTheTagMustGiveIt() throws Exception {
        try (Git git = project(true)) {
            asInADryRun(git, workspace);
            try (StepHarness h = harness(false)) {
                StepHarness.Run run = h.run();

                assertEquals(StepResult.Status.FAILED, run.result().status());
                assertTrue(run.result().message().contains("not the release version 1.2.0"), run.result().message());
                assertTrue(run.result().hint().contains("tag a clean HEAD"), run.result().hint());
                assertFalse(String.join("\n", run.log()).contains("PRETEND"), run.log()::toString);
            }
        }
    }

    @Test
    void theVersionFileTheBuildWroteIsRemovedWhenGitIgnoresIt() throws Exception {
        try (Git git = project(true)) {
            git.tag().setName("v1.2.0").setAnnotated(true).setMessage("Release v1.2.0").call();
            try (StepHarness h = harness(false)) {
                StepHarness.Run run = h.run();

                assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log()::toString);
                assertFalse(Files.exists(workspace.resolve("src/sounding/_version.py")));
                String log = String.join("\n", run.log());
                assertTrue(log.contains("removed what the build wrote into the source tree (git ignores it): src/sounding/_version.py"), log);
                assertTrue(git.status().call().isClean(), () -> git.status().toString());
            }
        }
    }

    @Test
    void aVersionFileGitDoesNotIgnoreStays() throws Exception {
        try (Git git = project(false)) {
            git.tag().setName("v1.2.0").setAnnotated(true).setMessage("Release v1.2.0").call();
            try (StepHarness h = harness(false)) {
                assertEquals(StepResult.Status.SUCCEEDED, h.run().result().status());
            }
            assertTrue(Files.exists(workspace.resolve("src/sounding/_version.py")), "someone's work, for all the build knows");
        }
    }

    @Test
    void aVersionFileThatWasThereBeforeStaysAndSoDoesAnIgnoredOutDir() throws Exception {
        try (Git git = project(true)) {
            Files.writeString(workspace.resolve(".gitignore"), "elsewhere/\n", java.nio.file.StandardOpenOption.APPEND);
            git.add().addFilepattern(".gitignore").call();
            git.commit().setMessage("ignore elsewhere/").call();
            git.tag().setName("v1.2.0").setAnnotated(true).setMessage("Release v1.2.0").call();
            Files.writeString(workspace.resolve("src/sounding/_version.py"), "version = '0+mine'\n");
            try (StepHarness h = harness(false).input("out-dir", "elsewhere")) {
                StepHarness.Run run = h.run();

                assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log()::toString);
                assertFalse(String.join("\n", run.log()).contains("removed what the build wrote"), run.log()::toString);
            }
            assertTrue(Files.exists(workspace.resolve("src/sounding/_version.py")), "there before the build");
            assertTrue(Files.exists(workspace.resolve("elsewhere/sounding-1.2.0.tar.gz")), "the out dir holds the artifacts");
        }
    }

    @Test
    void aDryRunOfAStaticVersionIsNotToldAVersion() throws IOException {
        FixtureProject.write(workspace, "acme-core", "1.2.0");
        try (StepHarness h = harness(true).input("packages", List.of("acme-core"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log()::toString);
            assertFalse(String.join("\n", run.log()).contains("SETUPTOOLS_SCM_PRETEND_VERSION"), run.log()::toString);
        }
    }
}
