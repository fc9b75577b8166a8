package io.slipway.plugin.githygiene;

import static io.slipway.plugin.gitsupport.GitFixture.commit;
import static io.slipway.plugin.gitsupport.GitFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.plugin.gitsupport.GitFixture;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult.Status;
import java.util.List;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BuiltFromTest {

    @RegisterExtension
    final GitFixture fx = new GitFixture();

    private StepHarness.Run run() {
        return run(false, null);
    }

    private StepHarness.Run run(boolean dryRun, List<String> releaseEdits) {
        try (StepHarness h = StepHarness.of(new BuiltFrom()).workspace(fx.work).stateDir(fx.path("state")).dryRun(dryRun)) {
            if (releaseEdits != null) {
                h.input("release-edits", releaseEdits);
            }
            return h.run();
        }
    }

    @Test
    void theCommitOfACleanTreeIsRecorded() {
        RevCommit release = commit(fx.git, "VERSION", "1.1.0\n", "release: 1.1.0");

        StepHarness.Run run = run();

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertEquals(release.name(), run.outputs().get("commit"));
    }

    @Test
    void uncommittedChangesTheBuildMayHaveTakenAreRefused() {
        write(fx.git, "README.md", "edited during the build\n");

        StepHarness.Run run = run();

        assertEquals(Status.FAILED, run.result().status());
        assertEquals("the working tree has changes the artifacts may contain but no commit holds: README.md",
                run.result().message());
        assertTrue(run.result().hint().contains("--from build/python-build"), run.result().hint());
    }

    @Test
    void aRealRunRefusesTheReleaseEditsUncommittedAsAnyOtherChange() {
        write(fx.git, "VERSION", "1.1.0\n");

        StepHarness.Run run = run(false, List.of("VERSION"));

        assertEquals(Status.FAILED, run.result().status());
        assertEquals("the working tree has changes the artifacts may contain but no commit holds: VERSION", run.result().message());
        assertTrue(run.result().hint().contains("--from build/python-build"), run.result().hint());
    }

    @Test
    void aDryRunIsBuiltFromHeadPlusTheReleasesOwnUncommittedEdits() throws Exception {
        RevCommit start = commit(fx.git, "CHANGELOG.md", "# Changelog\n", "changelog");
        write(fx.git, "VERSION", "1.1.0\n");
        write(fx.git, "CHANGELOG.md", "# Changelog\n\n## 1.1.0\n");

        StepHarness.Run run = run(true, List.of("VERSION", "CHANGELOG.md", "src/untouched.py"));

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertEquals(start.name(), run.outputs().get("commit"));
        assertEquals("dry run: built from " + start.abbreviate(7).name() + " changelog plus the release's uncommitted edits:"
                + " CHANGELOG.md, VERSION", run.result().message());
    }

    @Test
    void aDryRunWithACleanTreeSaysNothingOfEdits() {
        RevCommit start = commit(fx.git, "VERSION", "1.1.0\n", "release: 1.1.0");

        StepHarness.Run run = run(true, List.of("VERSION"));

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertEquals("built from " + start.abbreviate(7).name() + " release: 1.1.0", run.result().message());
    }

    @Test
    void aDryRunRefusesChangesTheReleaseDidNotMakeWithoutSayingCommitOrFrom() {
        write(fx.git, "VERSION", "1.1.0\n");
        write(fx.git, "notes.txt", "written by the tests\n");

        StepHarness.Run run = run(true, List.of("VERSION"));

        assertEquals(Status.FAILED, run.result().status());
        assertEquals("the working tree has changes the artifacts may contain but no commit holds and the release did not"
                + " make: notes.txt", run.result().message());
        assertFalse(run.result().hint().contains("--from"), run.result().hint());
        assertFalse(run.result().hint().contains("commit them"), run.result().hint());
        assertTrue(run.result().hint().contains("run the same command again"), run.result().hint());
    }

    @Test
    void aDryRunWithoutReleaseEditsNamesTheInputInItsHint() {
        write(fx.git, "VERSION", "1.1.0\n");

        StepHarness.Run run = run(true, null);

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().hint().contains("release-edits"), run.result().hint());
        assertFalse(run.result().hint().contains("--from"), run.result().hint());
    }
}
