package io.slipway.plugin.tagging;

import static io.slipway.plugin.gitsupport.GitFixture.commit;
import static io.slipway.plugin.gitsupport.GitFixture.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.plugin.gitsupport.GitFixture;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.PipelineEnd.Outcome;
import io.slipway.spi.StepResult.Status;
import java.nio.file.Files;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("process")
class TagAndPushTest {

    @RegisterExtension
    final GitFixture fx = new GitFixture();

    private StepHarness harness() {
        return StepHarness.of(new TagAndPush()).workspace(fx.work).stateDir(fx.path("state")).version("1.2.0");
    }

    private ObjectId localTag(String name) throws Exception {
        var ref = fx.git.getRepository().exactRef("refs/tags/" + name);
        return ref == null ? null : ref.getObjectId();
    }

    @Test
    void pushesTheBranchCommitsAndTheTagToTheRemote() throws Exception {
        commit(fx.git, "VERSION", "1.2.0\n", "release: 1.2.0");

        try (StepHarness h = harness()) {
            StepHarness.Run run = h.run();

            assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
            assertEquals("pushed refs/heads/main, refs/tags/v1.2.0 to origin", run.result().message());
            assertEquals(fx.head(), fx.originHead());
            assertEquals(localTag("v1.2.0"), fx.originRef("refs/tags/v1.2.0"));
            assertEquals("pushed at " + fx.head().name(), run.facts().get("tag:v1.2.0"));
        }
    }

    @Test
    void aReleaseAlreadyPushedSucceedsWithoutChangingAnything() {
        try (StepHarness h = harness()) {
            h.run();
        }
        try (StepHarness h = harness()) {
            StepHarness.Run again = h.run();

            assertEquals(Status.SUCCEEDED, again.result().status(), again.result().message());
            assertEquals("already pushed to origin: refs/heads/main, refs/tags/v1.2.0", again.result().message());
        }
    }

    @Test
    void withoutTheBranchOnlyTheTagsArePushed() throws Exception {
        ObjectId remoteBefore = fx.originHead();
        commit(fx.git, "VERSION", "1.2.0\n", "release: 1.2.0");

        try (StepHarness h = harness().input("push-branch", false)) {
            StepHarness.Run run = h.run();

            assertEquals("pushed refs/tags/v1.2.0 to origin", run.result().message());
            assertEquals(remoteBefore, fx.originHead());
            assertEquals(localTag("v1.2.0"), fx.originRef("refs/tags/v1.2.0"));
        }
    }

    @Test
    void aReleaseResumedAfterACrashBetweenTagCreationAndPushPushesTheTagItCreated() throws Exception {
        StepHarness create = StepHarness.of(new CreateTags()).workspace(fx.work).stateDir(fx.path("state"))
                .version("1.2.0");
        create.run();
        ObjectId created = localTag("v1.2.0");
        create.crash();

        try (StepHarness resumed = harness()) {
            StepHarness.Run run = resumed.run();

            assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
            assertEquals(created, fx.originRef("refs/tags/v1.2.0"));
        }
    }

    @Test
    void aPushRejectedByTheRemoteIsReportedInItsWordsWithNothingHalfDone() throws Exception {
        fx.rejectPushes("echo 'tags need an approved release ticket' >&2; exit 1");
        ObjectId remoteBefore = fx.originHead();
        commit(fx.git, "VERSION", "1.2.0\n", "release: 1.2.0");
        StepHarness h = harness();

        StepHarness.Run run = h.run();
        h.end(Outcome.FAILED);

        assertEquals(Status.FAILED, run.result().status(), run.result().message());
        String message = run.result().message();
        assertTrue(message.contains("tags need an approved release ticket"), message);
        assertTrue(message.contains("the push was atomic, so nothing changed on origin"), message);
        assertEquals(remoteBefore, fx.originHead());
        assertNull(fx.originRef("refs/tags/v1.2.0"));
        assertNull(localTag("v1.2.0"));
    }

    @Test
    void withoutAtomicPushesTheBranchGoesFirstAndARefusedTagIsReportedWithWhereEachRefIs() throws Exception {
        fx.rejectPushes("while read old new ref; do case $ref in refs/tags/*) echo 'tags are protected' >&2; exit 1;; esac; done");
        fx.withoutAtomicPushes();
        commit(fx.git, "VERSION", "1.2.0\n", "release: 1.2.0");

        try (StepHarness h = harness()) {
            StepHarness.Run run = h.run();

            assertEquals(Status.FAILED, run.result().status());
            assertEquals("origin refused the push of refs/tags/v1.2.0 (rejected: pre-receive hook declined);"
                    + " origin said: tags are protected; already on origin: refs/heads/main; only local: refs/tags/v1.2.0",
                    run.result().message());
            assertEquals(fx.head(), fx.originHead());
            assertNull(fx.originRef("refs/tags/v1.2.0"));
        }
    }

    @Test
    void aRemoteBranchThatMovedIsRefusedAndTheTagIsNotPushedEither() throws Exception {
        commit(fx.colleague(), "c.txt", "c", "Colleague's fix");
        push(fx.colleague());
        commit(fx.git, "VERSION", "1.2.0\n", "release: 1.2.0");

        try (StepHarness h = harness()) {
            StepHarness.Run run = h.run();

            assertEquals(Status.FAILED, run.result().status());
            assertTrue(run.result().message().contains("refs/heads/main (non-fast-forward"), run.result().message());
            assertTrue(run.result().hint().contains("git pull --rebase origin"), run.result().hint());
            assertNull(fx.originRef("refs/tags/v1.2.0"));
        }
    }

    @Test
    void aDryRunPushesNothingAndLeavesNoTag() throws Exception {
        commit(fx.git, "VERSION", "1.2.0\n", "release: 1.2.0");
        ObjectId remoteBefore = fx.originHead();
        StepHarness h = harness().dryRun(true);

        StepHarness.Run run = h.run();
        h.end(Outcome.SUCCEEDED);

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertEquals("dry run: would push refs/heads/main, refs/tags/v1.2.0 to origin", run.result().message());
        assertEquals(remoteBefore, fx.originHead());
        assertNull(fx.originRef("refs/tags/v1.2.0"));
        assertNull(localTag("v1.2.0"));
    }

    @Test
    void theHttpsTokenNeverReachesTheLogOrTheJournal() throws Exception {
        String token = "ghp_secretToken1234567890";
        StepHarness h = harness().env("GITHUB_TOKEN", token);
        try (h) {
            StepHarness.Run run = h.run();
            assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        }
        assertFalse(h.consoleText().contains(token));
        assertFalse(Files.readString(h.journalFile()).contains(token));
    }
}
