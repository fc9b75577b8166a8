package io.slipway.plugin.tagging;

import static io.slipway.plugin.gitsupport.GitFixture.commit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.plugin.gitsupport.GitFixture;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.PipelineEnd.Outcome;
import io.slipway.spi.StepResult.Status;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CreateTagsTest {

    @RegisterExtension
    final GitFixture fx = new GitFixture();

    private StepHarness harness() {
        return StepHarness.of(new CreateTags()).workspace(fx.work).stateDir(fx.path("state")).version("1.2.0");
    }

    private ObjectId localTag(String name) throws Exception {
        return fx.git.getRepository().resolve("refs/tags/" + name + "^{commit}");
    }

    @Test
    void createsAnAnnotatedTagAtHeadWithTheMessageAndJournalsItAsNotPushed() throws Exception {
        try (StepHarness h = harness()) {
            StepHarness.Run run = h.run();

            assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
            assertEquals(List.of("v1.2.0"), run.outputs().get("tags"));
            assertEquals(fx.head().name(), run.outputs().get("commit"));
            Ref ref = fx.git.getRepository().exactRef("refs/tags/v1.2.0");
            try (RevWalk walk = new RevWalk(fx.git.getRepository())) {
                RevTag tag = walk.parseTag(ref.getObjectId());
                assertEquals("Release v1.2.0", tag.getFullMessage().strip());
                assertEquals(fx.head(), tag.getObject());
            }
            assertEquals("created locally, not pushed, at " + fx.head().name(), run.facts().get("tag:v1.2.0"));
        }
    }

    @Test
    void perPackageTagsFollowThePackageFormat() throws Exception {
        try (StepHarness h = harness().input("packages", List.of("packages/acme-core", "acme-scheduler"))) {
            StepHarness.Run run = h.run();

            assertEquals(List.of("v1.2.0", "acme-core-v1.2.0", "acme-scheduler-v1.2.0"), run.outputs().get("tags"));
            assertEquals(fx.head(), localTag("acme-core-v1.2.0"));
        }
    }

    @Test
    void aTagFormatWithoutTheVersionIsRefusedAsTheScriptIsChecked() throws Exception {
        // The check runner validate and the start of a run apply to every step's inputs (Plan.of).
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> harness().input("tag-format", "release").run());

        assertEquals("input 'tag-format' must be a tag name with {version} in it, or empty for per-package tags only,"
                + " not \"release\"", e.getMessage());
        assertNull(localTag("release"));
    }

    @Test
    void anEmptyTagFormatTagsOnlyThePackages() throws Exception {
        try (StepHarness h = harness().input("tag-format", "").input("packages", List.of("packages/acme-core"))) {
            StepHarness.Run run = h.run();

            assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
            assertEquals(List.of("acme-core-v1.2.0"), run.outputs().get("tags"));
        }
    }

    @Test
    void aTagAlreadyAtTheSameCommitIsAlreadyTaggedAndNotTheReleasesToRemove() throws Exception {
        fx.git.tag().setName("v1.2.0").setAnnotated(true).setMessage("by hand").call();
        StepHarness h = harness();

        StepHarness.Run run = h.run();
        h.end(Outcome.FAILED);

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertTrue(run.result().message().startsWith("already tagged v1.2.0"), run.result().message());
        assertEquals(fx.head(), localTag("v1.2.0"));
    }

    @Test
    void aTagAtAnotherCommitIsAHardErrorNamingBothCommits() throws Exception {
        ObjectId old = fx.head();
        fx.git.tag().setName("v1.2.0").setAnnotated(true).setMessage("old").call();
        commit(fx.git, "a.txt", "a", "Release work");

        try (StepHarness h = harness()) {
            StepHarness.Run run = h.run();

            assertEquals(Status.FAILED, run.result().status());
            assertEquals("tag v1.2.0 already exists at " + old.abbreviate(7).name() + " (initial commit), not at "
                    + fx.head().abbreviate(7).name() + " (Release work), the commit being released", run.result().message());
        }
    }

    @Test
    void aTagOnTheRemoteAtAnotherCommitStopsTheReleaseBeforeTaggingAnything() throws Exception {
        commit(fx.colleague(), "c.txt", "c", "Colleague's release");
        fx.colleague().tag().setName("v1.2.0").setAnnotated(true).setMessage("theirs").call();
        fx.colleague().push().setPushTags().call();

        try (StepHarness h = harness()) {
            StepHarness.Run run = h.run();

            assertEquals(Status.FAILED, run.result().status());
            assertTrue(run.result().message().startsWith("tag v1.2.0 already exists on origin at "), run.result().message());
            assertNull(localTag("v1.2.0"));
        }
    }

    @Test
    void aTagTheRemoteHasAtTheSameCommitIsFetchedRatherThanCreatedAgain() throws Exception {
        fx.colleague().tag().setName("v1.2.0").setAnnotated(true).setMessage("theirs").call();
        fx.colleague().push().setPushTags().call();

        try (StepHarness h = harness()) {
            StepHarness.Run run = h.run();

            assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
            assertEquals(fx.originRef("refs/tags/v1.2.0"), fx.git.getRepository().exactRef("refs/tags/v1.2.0").getObjectId());
        }
    }

    @Test
    void tagsCreatedInARunThatFailsAreRemovedAndTheJournalSaysSo() throws Exception {
        StepHarness h = harness();
        h.run();

        h.end(Outcome.FAILED);

        assertNull(localTag("v1.2.0"));
        try (StepHarness again = harness()) {
            assertTrue(readFacts(again).contains("removed locally, never pushed: the run ended failed"), readFacts(again));
        }
    }

    @Test
    void tagsStayWhenTheRunWaitsForAnApproval() throws Exception {
        StepHarness h = harness();
        h.run();

        h.end(Outcome.WAITING);

        assertEquals(fx.head(), localTag("v1.2.0"));
    }

    @Test
    void aDryRunLeavesNoTagBehind() throws Exception {
        StepHarness h = harness().dryRun(true);
        StepHarness.Run run = h.run();

        h.end(Outcome.SUCCEEDED);

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertNull(localTag("v1.2.0"));
    }

    @Test
    void afterACrashTheNextAttemptOwnsTheTagAndRemovesItWhenThatRunFails() throws Exception {
        StepHarness first = harness();
        first.run();
        first.crash();
        assertNotNull(localTag("v1.2.0"));

        StepHarness second = harness();
        StepHarness.Run run = second.run();
        second.end(Outcome.FAILED);

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertNull(localTag("v1.2.0"));
    }

    @Test
    void tagsRemovedByAFailedRunMakeTheStepStaleAndTheNextRunTagsTheFixCommit() throws Exception {
        StepHarness h = harness();
        h.run();
        assertTrue(h.stillDone());
        h.end(Outcome.FAILED);
        commit(fx.git, "fix.txt", "the fix", "Fix");

        try (StepHarness again = harness()) {
            assertFalse(again.stillDone(), "the tag is gone");
            assertEquals(Status.SUCCEEDED, again.run().result().status());
            assertEquals(fx.head(), localTag("v1.2.0"));
            assertTrue(again.stillDone());
        }
    }

    @Test
    void aFinishedReleaseStaysDoneWhenTheBranchMovesOn() throws Exception {
        try (StepHarness h = harness()) {
            h.run();
            commit(fx.git, "next.txt", "work for the next release", "Next");
            assertTrue(h.stillDone(), "the tag still exists; where HEAD went since does not matter");
        }
    }

    @Test
    void aTagThatWasPushedStaysWhenALaterStepFails() throws Exception {
        StepHarness h = harness();
        h.run();
        fx.git.push().setPushTags().call();

        h.end(Outcome.FAILED);

        assertEquals(fx.head(), localTag("v1.2.0"));
    }

    /** The journal file's text, where the step's facts are. */
    private static String readFacts(StepHarness h) throws Exception {
        return java.nio.file.Files.readString(h.journalFile());
    }
}
