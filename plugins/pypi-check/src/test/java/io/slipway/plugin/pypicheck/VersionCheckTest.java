package io.slipway.plugin.pypicheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.plugin.localindex.LocalIndex;
import io.slipway.plugin.localindex.RealPython;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the embedded index holding acme-core 0.4.0, uploaded with twine. */
@Tag("process")
class VersionCheckTest {

    @TempDir
    static Path shared;
    static LocalIndex index;

    @TempDir
    Path state;

    @BeforeAll
    static void indexWithARelease() throws Exception {
        List<Path> dists = RealPython.build(shared.resolve("acme-core"), "acme-core", "0.4.0", "released");
        index = LocalIndex.start(shared.resolve("index"));
        RealPython.Result upload = RealPython.upload(index.uploadUrl(), "any", "any", dists);
        assertEquals(0, upload.exitCode(), upload.output());
    }

    @AfterAll
    static void stopIndex() {
        index.close();
    }

    private StepHarness.Run check(String version, Object... inputs) {
        StepHarness h = StepHarness.of(new VersionCheck()).workspace(shared).stateDir(state).version(version)
                .input("packages", List.of("acme-core")).input("index", index.simpleUrl());
        for (int i = 0; i < inputs.length; i += 2) {
            h.input((String) inputs[i], inputs[i + 1]);
        }
        try (h) {
            return h.run();
        }
    }

    @Test
    void aNewVersionPassesAndReportsTheIndexNewestRelease() {
        StepHarness.Run run = check("0.5.0");
        assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log().toString());
        assertEquals(Map.of("acme-core", "0.4.0"), run.outputs().get("newest"));
    }

    @Test
    void aVersionAlreadyOnTheIndexFailsNamingItsFiles() {
        StepHarness.Run run = check("0.4.0");
        assertEquals(StepResult.Status.FAILED, run.result().status());
        assertTrue(run.result().message().startsWith("acme-core 0.4.0 is already on " + index.simpleUrl() + ": "),
                run.result().message());
        assertTrue(run.result().message().contains("acme-core-0.4.0.tar.gz"), run.result().message());
        assertTrue(run.result().message().contains("acme_core-0.4.0-py3-none-any.whl"), run.result().message());
    }

    @Test
    void anotherSpellingOfAnExistingVersionIsTheSameVersion() {
        assertEquals(StepResult.Status.FAILED, check("v0.4").result().status());
    }

    @Test
    void aVersionOlderThanTheIndexNewestReleaseFails() {
        StepHarness.Run run = check("0.3.9");
        assertEquals(StepResult.Status.FAILED, run.result().status());
        assertEquals("acme-core 0.3.9 is older than 0.4.0, the newest release on " + index.simpleUrl(),
                run.result().message());
    }

    @Test
    void anOlderVersionPassesAsABackportWhenAllowed() {
        assertEquals(StepResult.Status.SUCCEEDED, check("0.3.9", "allow-backport", true).result().status());
    }

    @Test
    void anInvalidVersionFailsQuotingIt() {
        StepHarness.Run run = check("0.5.0-final");
        assertEquals(StepResult.Status.FAILED, run.result().status());
        assertTrue(run.result().message().startsWith("version: \"0.5.0-final\" is not a valid PEP 440 version"),
                run.result().message());
    }

    @Test
    void aLocalVersionIsRefusedAsPyPIRefusesIt() {
        StepHarness.Run run = check("0.5.0.dev3+g1a2b3c4");
        assertEquals(StepResult.Status.FAILED, run.result().status());
        assertTrue(run.result().message().contains("local label (+g1a2b3c4)"), run.result().message());
    }

    @Test
    void aPreReleaseIsRefusedWhenThePolicyForbidsIt() {
        StepHarness.Run run = check("0.5.0rc1", "allow-prerelease", false);
        assertEquals(StepResult.Status.FAILED, run.result().status());
        assertEquals("version 0.5.0rc1 is a pre-release, and allow-prerelease is false", run.result().message());
    }

    @Test
    void aPreReleaseIsAcceptedByDefault() {
        assertEquals(StepResult.Status.SUCCEEDED, check("0.5.0rc1").result().status());
    }

    @Test
    void aVersionOlderThanTheRepositoryVersionFails() {
        StepHarness.Run run = check("0.5.0", "current-version", "0.6.0");
        assertEquals(StepResult.Status.FAILED, run.result().status());
        assertEquals("version 0.5.0 is older than the repository's version 0.6.0", run.result().message());
    }

    @Test
    void afterAPreReleaseTheCheckNamesTheNewestFinalAndTheNewestPreRelease() throws Exception {
        List<Path> rc = RealPython.build(shared.resolve("acme-rc"), "acme-rc", "1.0.0rc1", "rc");
        assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", rc).exitCode());

        StepHarness.Run run = check("1.0.0", "packages", List.of("acme-rc", "acme-core"));

        assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log().toString());
        assertTrue(run.log().stream().anyMatch(l -> l.endsWith(
                "acme-rc: newest final release on the index none, newest pre-release 1.0.0rc1; 1.0.0 is free")), run.log()::toString);
        assertTrue(run.log().stream().anyMatch(l -> l.endsWith(
                "acme-core: newest final release on the index 0.4.0; 1.0.0 is free")), run.log()::toString);
        assertEquals(Map.of("acme-rc", "", "acme-core", "0.4.0"), run.outputs().get("newest"));
    }

    @Test
    void aProjectTheIndexDoesNotHaveIsAFirstRelease() {
        StepHarness.Run run = check("0.1.0", "packages", List.of("acme-scheduler"));
        assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), run.log().toString());
        assertEquals(Map.of("acme-scheduler", ""), run.outputs().get("newest"));
        // The index answers 404 for it, as PyPI does: no such project, not an empty one.
        assertTrue(run.log().stream().anyMatch(l -> l.endsWith("acme-scheduler: not on " + index.simpleUrl()
                + " yet (first release)")), run.log()::toString);
    }
}
