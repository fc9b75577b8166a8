package com.example.slipway.changelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The step run the way the runner runs it, over a changelog in a temp dir. */
class ChangelogEntryTest {

    @TempDir
    Path repo;

    @TempDir
    Path state;

    private static final String KEEP_A_CHANGELOG = """
            # Changelog

            ## [Unreleased]

            ## [1.2.0] - 2026-11-23

            ### Added
            - `--color` option.

            ## [1.1.0] - 2026-10-01

            - First release.

            [1.2.0]: https://example.com/compare/1.1.0...1.2.0
            """;

    private StepHarness harness(String changelog, String version) throws Exception {
        Files.writeString(repo.resolve("CHANGELOG.md"), changelog);
        return StepHarness.of(new ChangelogEntry()).workspace(repo).stateDir(state).version(version);
    }

    @Test
    void aKeepAChangelogSectionIsFoundAndItsTextIsTheOutput() throws Exception {
        try (StepHarness h = harness(KEEP_A_CHANGELOG, "1.2.0")) {
            StepHarness.Run run = h.run();
            assertEquals(Status.SUCCEEDED, run.result().status(), run.result()::toString);
            assertEquals("### Added\n- `--color` option.", run.outputs().get("text"));
            assertEquals("## [1.2.0] - 2026-11-23", run.outputs().get("heading"));
            assertTrue(run.log().stream().anyMatch(l -> l.contains("CHANGELOG.md:5")), run.log()::toString);
        }
    }

    @Test
    void theLastSectionEndsBeforeTheLinkDefinitions() throws Exception {
        try (StepHarness h = harness(KEEP_A_CHANGELOG, "1.1.0")) {
            assertEquals("- First release.", h.run().outputs().get("text"));
        }
    }

    @Test
    void aPlainVersionHeadingInAnotherFileIsFound() throws Exception {
        Files.writeString(repo.resolve("NEWS.md"), "## 2.0.0\n\nBreaking: dropped Python 3.8.\n");
        try (StepHarness h = StepHarness.of(new ChangelogEntry()).workspace(repo).stateDir(state).version("2.0.0")
                .input("file", "NEWS.md")) {
            assertEquals("Breaking: dropped Python 3.8.", h.run().outputs().get("text"));
        }
    }

    @Test
    void aPreReleaseOfTheVersionIsNotItsSection() throws Exception {
        try (StepHarness h = harness("## 1.2.0rc1\n\n- Preview.\n", "1.2.0")) {
            assertEquals(Status.FAILED, h.run().result().status());
        }
    }

    @Test
    void aMissingSectionFailsAndPointsAtTheUnreleasedHeading() throws Exception {
        try (StepHarness h = harness(KEEP_A_CHANGELOG, "1.3.0")) {
            StepHarness.Run run = h.run();
            assertEquals(Status.FAILED, run.result().status());
            assertEquals("CHANGELOG.md has no section for 1.3.0", run.result().message());
            assertTrue(run.result().hint().startsWith("rename the Unreleased heading at CHANGELOG.md:3 to \"## [1.3.0] - "),
                    run.result().hint());
        }
    }

    @Test
    void anEmptySectionFailsUnlessAllowed() throws Exception {
        String changelog = "## 1.2.1\n\n## 1.2.0\n\n- Something.\n";
        try (StepHarness h = harness(changelog, "1.2.1")) {
            assertEquals("the section for 1.2.1 at CHANGELOG.md:1 is empty", h.run().result().message());
        }
        try (StepHarness h = harness(changelog, "1.2.1").input("allow-empty", true)) {
            assertEquals(Status.SUCCEEDED, h.run().result().status());
        }
    }

    @Test
    void aMissingChangelogFailsNamingTheFile() throws Exception {
        try (StepHarness h = StepHarness.of(new ChangelogEntry()).workspace(repo).stateDir(state)) {
            assertTrue(h.run().result().message().startsWith("the changelog \"CHANGELOG.md\" does not exist"));
        }
    }

    @Test
    void runningAgainGivesTheSameResult() throws Exception {
        try (StepHarness h = harness(KEEP_A_CHANGELOG, "1.2.0")) {
            StepHarness.Run first = h.run();
            StepHarness.Run second = h.run();
            assertEquals(first.outputs(), second.outputs());
            assertEquals(first.facts(), second.facts());
        }
    }

    @Test
    void aResumedReleaseWarnsWhenTheSectionWasEditedSinceTheEarlierAttempt() throws Exception {
        StepHarness first = harness(KEEP_A_CHANGELOG, "1.2.0");
        first.run();
        first.crash();
        try (StepHarness resumed = harness(KEEP_A_CHANGELOG.replace("`--color` option", "`--colour` option"), "1.2.0")) {
            StepHarness.Run run = resumed.run();
            assertEquals(Status.SUCCEEDED, run.result().status());
            assertTrue(run.log().stream().anyMatch(l -> l.contains("changed since an earlier attempt")), run.log()::toString);
        }
    }
}
