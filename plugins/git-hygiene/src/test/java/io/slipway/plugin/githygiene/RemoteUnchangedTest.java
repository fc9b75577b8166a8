package io.slipway.plugin.githygiene;

import static io.slipway.plugin.gitsupport.GitFixture.commit;
import static io.slipway.plugin.gitsupport.GitFixture.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.plugin.gitsupport.GitFixture;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult.Status;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RemoteUnchangedTest {

    @RegisterExtension
    final GitFixture fx = new GitFixture();

    /** The remote head the preflight step recorded when the release began. */
    private String preflight() {
        try (StepHarness h = StepHarness.of(new Preflight()).workspace(fx.work).stateDir(fx.path("state"))) {
            StepHarness.Run run = h.run();
            assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
            return (String) run.outputs().get("remote-head");
        }
    }

    private StepHarness.Run check(String expected) {
        try (StepHarness h = StepHarness.of(new RemoteUnchanged()).workspace(fx.work).stateDir(fx.path("state"))
                .input("expected", expected)) {
            return h.run();
        }
    }

    @Test
    void aRemoteThatDidNotMoveSucceeds() {
        String expected = preflight();

        StepHarness.Run run = check(expected);

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertEquals(expected, run.outputs().get("remote-head"));
    }

    @Test
    void aColleaguesPushBetweenTheStepsFailsNamingTheNewCommits() {
        String expected = preflight();
        commit(fx.colleague(), "c.txt", "c", "Hotfix one");
        commit(fx.colleague(), "d.txt", "d", "Hotfix two");
        push(fx.colleague());

        StepHarness.Run run = check(expected);

        assertEquals(Status.FAILED, run.result().status());
        String message = run.result().message();
        assertTrue(message.startsWith("origin/main moved since the release began: 2 new commit(s):"), message);
        assertTrue(message.contains("Hotfix one") && message.contains("Hotfix two"), message);
    }

    @Test
    void aRemoteMovedOnlyToCommitsThisCloneHasSucceeds() {
        String expected = preflight();
        commit(fx.git, "a.txt", "a", "Release commit");
        push(fx.git);

        StepHarness.Run run = check(expected);

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertTrue(run.result().message().contains("which HEAD already contains"), run.result().message());
    }

    @Test
    void aForcePushedRemoteIsReportedAsRewritten() throws Exception {
        commit(fx.git, "a.txt", "a", "Will be dropped");
        push(fx.git);
        String expected = preflight();
        fx.colleague().fetch().call();
        fx.colleague().reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef("HEAD~1").call();
        commit(fx.colleague(), "b.txt", "b", "Replacement");
        fx.colleague().push().setForce(true).call();

        StepHarness.Run run = check(expected);

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().message().startsWith("origin/main was rewritten since the release began"),
                run.result().message());
    }

    @Test
    void anExpectedValueThatIsNotAShaIsRefused() {
        StepHarness.Run run = check("main");

        assertEquals(Status.FAILED, run.result().status());
        assertEquals("the 'expected' input 'main' is not a full commit sha", run.result().message());
    }

    @Test
    void aCommitMadeAfterTheBuildIsRefusedBeforeTheUploadNamingBothCommits() {
        ObjectId built = fx.head();
        RevCommit late = commit(fx.git, "fix.txt", "late fix", "A fix while the release waited");

        StepHarness.Run run;
        try (StepHarness h = StepHarness.of(new RemoteUnchanged()).workspace(fx.work).stateDir(fx.path("state"))
                .input("expected", fx.originHead().name()).input("built-from", built.name())) {
            run = h.run();
        }

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().message().startsWith("HEAD moved after the build: the artifacts were built from "
                + built.abbreviate(7).name() + " "), run.result().message());
        assertTrue(run.result().message().endsWith("HEAD is now " + late.abbreviate(7).name() + " A fix while the release waited"),
                run.result().message());
        assertTrue(run.result().hint().contains("--from build/python-build"), run.result().hint());
        assertTrue(run.result().hint().contains("git reset --keep " + built.abbreviate(7).name()), run.result().hint());
    }

    @Test
    void aReleaseTagAtTheCommitTheReleaseStartedFromIsRefusedBeforeTheUpload() throws Exception {
        // Someone tagged the commit the release started from; the release then committed and built on top of it.
        ObjectId started = fx.head();
        fx.colleague().fetch().call();
        fx.colleague().tag().setName("v1.5.0").setObjectId(fx.colleague().getRepository().parseCommit(started))
                .setAnnotated(true).setMessage("premature").call();
        fx.colleague().push().setPushTags().call();
        String expected = preflight();
        RevCommit release = commit(fx.git, "VERSION", "1.5.0", "release: 1.5.0");

        StepHarness.Run refused = checkBuilt(expected, release, "v1.5.0");

        assertEquals(Status.FAILED, refused.result().status());
        // The preflight fetched it, so it is here as well as on the remote.
        assertTrue(refused.result().message().startsWith("the release tag v1.5.0 already exists in this repository, at "
                + started.abbreviate(7).name()), refused.result().message());
        assertTrue(refused.result().message().endsWith("this release tags " + release.abbreviate(7).name()
                + " release: 1.5.0, the commit it built"), refused.result().message());
        // "Release another version" alone would leave the release commit of one that was never published on the branch.
        assertTrue(refused.result().hint().startsWith("undo this release with runner abandon"), refused.result().hint());
        assertTrue(refused.result().hint().endsWith("then release another version; or, if that tag was made by mistake, delete it"
                + " (git tag -d v1.5.0; git push origin :refs/tags/v1.5.0) and run the same command again"), refused.result().hint());

        fx.git.tagDelete().setTags("v1.5.0").call();
        fx.colleague().push().setRefSpecs(new org.eclipse.jgit.transport.RefSpec(":refs/tags/v1.5.0")).call();
        assertEquals(Status.SUCCEEDED, checkBuilt(expected, release, "v1.5.0").result().status());
        fx.git.tag().setName("v1.5.0").setObjectId(release).setAnnotated(true).setMessage("v1.5.0").call();
        StepHarness.Run again = checkBuilt(expected, release, "v1.5.0");
        assertEquals(Status.SUCCEEDED, again.result().status(), "a tag at the built commit is this release's own: "
                + again.result().message());
    }

    private StepHarness.Run checkBuilt(String expected, ObjectId builtFrom, String tag) {
        try (StepHarness h = StepHarness.of(new RemoteUnchanged()).workspace(fx.work).stateDir(fx.path("state"))
                .input("expected", expected).input("built-from", builtFrom.name()).input("tags", java.util.List.of(tag))) {
            return h.run();
        }
    }

    @Test
    void inADryRunACommitMadeAfterTheBuildIsBuiltByRunningAgainWithoutFrom() {
        ObjectId built = fx.head();
        commit(fx.git, "fix.txt", "late fix", "A fix while the dry run ran");

        StepHarness.Run run;
        try (StepHarness h = StepHarness.of(new RemoteUnchanged()).workspace(fx.work).stateDir(fx.path("state")).dryRun(true)
                .input("expected", fx.originHead().name()).input("built-from", built.name())) {
            run = h.run();
        }

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().hint().startsWith("run the same command again: the dry run builds anew"), run.result().hint());
        assertFalse(run.result().hint().contains("--from"), run.result().hint());
    }
}
