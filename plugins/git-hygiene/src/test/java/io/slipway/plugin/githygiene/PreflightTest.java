package io.slipway.plugin.githygiene;

import static io.slipway.plugin.gitsupport.GitFixture.commit;
import static io.slipway.plugin.gitsupport.GitFixture.push;
import static io.slipway.plugin.gitsupport.GitFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.plugin.gitsupport.GitFixture;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult.Status;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {

    @RegisterExtension
    final GitFixture fx = new GitFixture();

    private StepHarness harness() {
        return StepHarness.of(new Preflight()).workspace(fx.work).stateDir(fx.path("state"));
    }

    private StepHarness.Run run(StepHarness h) {
        try (h) {
            return h.run();
        }
    }

    @Test
    void cleanTreeInSyncWithTheRemoteSucceedsWithBranchHeadAndCommitsSinceTheLastTag() throws Exception {
        fx.git.tag().setName("v0.9.0").setAnnotated(true).setMessage("Release 0.9.0").call();
        commit(fx.git, "a.txt", "a", "Add a");
        commit(fx.git, "b.txt", "b", "Add b");
        push(fx.git);

        StepHarness.Run run = run(harness());

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertEquals("main", run.outputs().get("branch"));
        assertEquals(fx.head().name(), run.outputs().get("head"));
        assertEquals(fx.originHead().name(), run.outputs().get("remote-head"));
        assertEquals("v0.9.0", run.outputs().get("last-tag"));
        List<?> since = (List<?>) run.outputs().get("commits-since-tag");
        assertEquals(2, since.size(), since.toString());
        assertEquals(fx.head().abbreviate(7).name() + " Add b", since.get(0));
        assertTrue(since.get(1).toString().endsWith(" Add a"), since.toString());
    }

    @Test
    void withoutAGitIdentityTheStepFailsBeforeAnythingChanges(@TempDir Path none) throws Exception {
        write(fx.git, "VERSION", "1.0.0\n");
        StoredConfig config = fx.git.getRepository().getConfig();
        config.unsetSection("user", null);
        config.save();
        RevCommit before = fx.git.log().setMaxCount(1).call().iterator().next();
        SystemReader machine = SystemReader.getInstance();
        // Neither this machine's global or system git config nor its GIT_* variables: a CI machine nobody configured.
        SystemReader.setInstance(new SystemReader.Delegate(machine) {
            @Override
            public FileBasedConfig openUserConfig(Config parent, FS fs) {
                return new FileBasedConfig(parent, none.resolve("gitconfig").toFile(), fs);
            }

            @Override
            public FileBasedConfig openSystemConfig(Config parent, FS fs) {
                return new FileBasedConfig(parent, none.resolve("system-gitconfig").toFile(), fs);
            }

            @Override
            public String getenv(String name) {
                return name.startsWith("GIT_") ? null : super.getenv(name);
            }
        });
        StepHarness.Run run;
        try {
            run = run(harness().input("allow", List.of("VERSION")));
        } finally {
            SystemReader.setInstance(machine);
        }

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().message().startsWith("git has no user.name and no user.email here to make the release commit and tags"),
                run.result().message());
        assertTrue(run.result().hint().contains("git config --global user.email"), run.result().hint());
        assertEquals(before, fx.git.log().setMaxCount(1).call().iterator().next(), "the allow-listed change is not committed");
    }

    @Test
    void changedFilesOutsideTheAllowListFailTheStepListingThem() {
        write(fx.git, "README.md", "changed\n");
        write(fx.git, "notes.txt", "untracked\n");

        StepHarness.Run run = run(harness().input("allow", List.of("VERSION")));

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().message().contains("README.md, notes.txt"), run.result().message());
    }

    @Test
    void allowListedChangesAreCommittedWithTheConfiguredMessage() throws Exception {
        commit(fx.git, "VERSION", "0.9.0\n", "Add VERSION");
        push(fx.git);
        write(fx.git, "VERSION", "1.0.0\n");
        write(fx.git, "fixtures/release.json", "{}\n");

        StepHarness.Run run = run(harness().input("allow", List.of("VERSION", "fixtures/*.json"))
                .input("commit-message", "chore: release fixtures for {version}"));

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertEquals(List.of("VERSION", "fixtures/release.json"), run.outputs().get("committed"));
        RevCommit head = fx.git.log().setMaxCount(1).call().iterator().next();
        assertEquals("chore: release fixtures for 1.0.0", head.getFullMessage());
        assertTrue(fx.git.status().call().isClean());
    }

    @Test
    void aDisallowedChangeNextToAllowedOnesCommitsNothing() throws Exception {
        write(fx.git, "VERSION", "1.0.0\n");
        write(fx.git, "setup.py", "print()\n");
        var before = fx.head();

        StepHarness.Run run = run(harness().input("allow", List.of("VERSION")));

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().message().contains("setup.py"), run.result().message());
        assertEquals(before, fx.head());
    }

    @Test
    void aDryRunReportsTheAutoCommitWithoutMakingIt() throws Exception {
        write(fx.git, "VERSION", "1.0.0\n");
        var before = fx.head();

        StepHarness.Run run = run(harness().dryRun(true).input("allow", List.of("VERSION")));

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertEquals(before, fx.head());
        assertTrue(String.join("\n", run.log()).contains("dry run: would commit VERSION"), String.join("\n", run.log()));
    }

    @Test
    void runningAgainAfterACrashDoesNotCountTheStepsOwnCommitAsAhead() {
        write(fx.git, "VERSION", "1.0.0\n");
        StepHarness first = harness().input("allow", List.of("VERSION"));
        first.run();
        first.crash();

        StepHarness.Run again = run(harness().input("allow", List.of("VERSION")));

        assertEquals(Status.SUCCEEDED, again.result().status(), again.result().message());
        assertEquals(List.of("VERSION"), again.outputs().get("committed"));
    }

    @Test
    void anotherBranchThanTheExpectedOneFails() throws Exception {
        fx.git.checkout().setCreateBranch(true).setName("feature").call();

        StepHarness.Run run = run(harness());

        assertEquals(Status.FAILED, run.result().status());
        assertEquals("the current branch is 'feature', the release runs on 'main'", run.result().message());
    }

    @Test
    void aDetachedHeadFailsClearly() throws Exception {
        fx.git.checkout().setName(fx.head().name()).call();

        StepHarness.Run run = run(harness());

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().message().startsWith("HEAD is detached at " + fx.head().abbreviate(7).name()),
                run.result().message());
    }

    @Test
    void aMergeLeftHalfDoneFailsNamingIt() throws Exception {
        fx.git.checkout().setCreateBranch(true).setName("topic").call();
        commit(fx.git, "README.md", "topic\n", "Topic change");
        fx.git.checkout().setName("main").call();
        commit(fx.git, "README.md", "main\n", "Main change");
        fx.git.merge().include(fx.git.getRepository().resolve("topic")).call();

        StepHarness.Run run = run(harness().input("allow-ahead", true));

        assertEquals(Status.FAILED, run.result().status());
        assertEquals("the repository is in the middle of an operation (merging)", run.result().message());
    }

    @Test
    void aBranchBehindTheRemoteFailsNamingTheMissingCommits() {
        commit(fx.colleague(), "c.txt", "c", "Colleague's fix");
        push(fx.colleague());

        StepHarness.Run run = run(harness());

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().message().startsWith("main is 1 commit(s) behind origin/main"), run.result().message());
        assertTrue(run.result().message().contains("Colleague's fix"), run.result().message());
        assertTrue(run.result().hint().contains("git pull --ff-only origin main"), run.result().hint());
    }

    @Test
    void unpushedLocalCommitsFail() {
        commit(fx.git, "a.txt", "a", "Local work");

        StepHarness.Run run = run(harness());

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().message().startsWith("main is 1 commit(s) ahead of origin/main (not pushed)"),
                run.result().message());
        assertTrue(run.result().hint().startsWith("push them (git push origin main)"), run.result().hint());
    }

    @Test
    void anUnpushedCommitOfAnEarlierRunOfThisReleaseIsNotToBePushed() {
        RevCommit earlier = commit(fx.git, "VERSION", "1.2.0", "release: 1.2.0");

        StepHarness.Run run = run(harness().version("1.2.0"));

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().hint().startsWith(earlier.abbreviate(7).name() + " release: 1.2.0 looks like the commit of an earlier"
                + " run of this release: undo that run with runner abandon"), run.result().hint());
        assertTrue(run.result().hint().endsWith("if it is work of your own, push it (git push origin main)"), run.result().hint());
        // 11.2.0 or 1.2 is another version: that commit is just local work
        assertTrue(run(harness().version("11.2.0")).result().hint().startsWith("push them"));
        assertTrue(run(harness().version("1.2")).result().hint().startsWith("push them"));
    }

    @Test
    void anEarlierRunsCommitIsRecognisedInTheUsualSubjects() {
        for (String subject : List.of("Release v1.2.0", "Bump version to 1.2.0.", "release: 1.2.0", "1.2.0")) {
            RevCommit c = commit(fx.git, "VERSION-" + subject.length(), subject, subject);
            StepHarness.Run run = run(harness().version("1.2.0"));
            // the newest commit is named: it is the one this subject made
            assertTrue(run.result().hint().startsWith(c.abbreviate(7).name() + " " + subject + " looks like the commit of an earlier run"),
                    subject + ": " + run.result().hint());
        }
    }

    @Test
    void aCommitNamingAPreReleaseOfTheVersionIsNotTakenForThisReleases() {
        commit(fx.git, "NOTES", "rc", "Notes for 1.2.0-rc1");
        assertTrue(run(harness().version("1.2.0")).result().hint().startsWith("push them"));
    }

    @Test
    void unpushedLocalCommitsAreAcceptedWhenAheadIsAllowed() {
        commit(fx.git, "a.txt", "a", "Local work");

        StepHarness.Run run = run(harness().input("allow-ahead", true));

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
    }

    @Test
    void aBranchThatDivergedFromTheRemoteFails() {
        commit(fx.colleague(), "c.txt", "c", "Colleague's fix");
        push(fx.colleague());
        commit(fx.git, "a.txt", "a", "Local work");

        StepHarness.Run run = run(harness().input("allow-ahead", true));

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().message().startsWith("main has diverged from origin/main"), run.result().message());
        assertTrue(run.result().hint().contains("git pull --rebase"), run.result().hint());
    }

    @Test
    void anUnknownRemoteIsNamedWithTheConfiguredOnes() {
        StepHarness.Run run = run(harness().input("remote", "upstream"));

        assertEquals(Status.FAILED, run.result().status());
        assertEquals("the repository has no remote 'upstream' (remotes: [origin])", run.result().message());
    }

    @Test
    void aReleaseTagThatExistsAtAnotherCommitIsRefusedBeforeAnythingChanges() throws Exception {
        RevCommit old = commit(fx.git, "a.txt", "a", "Work for 1.0.0");
        fx.git.tag().setName("v1.0.0").setObjectId(old).setAnnotated(true).setMessage("Release 1.0.0").call();
        commit(fx.git, "b.txt", "b", "More work");
        push(fx.git);

        StepHarness.Run run = run(harness().input("tags", List.of("v1.0.0")));

        assertEquals(Status.FAILED, run.result().status());
        assertEquals("the release tag v1.0.0 already exists in this repository, at " + old.abbreviate(7).name()
                + " Work for 1.0.0; it was made before this release began", run.result().message());
        assertTrue(run.result().hint().startsWith("release another version"), run.result().hint());
    }

    @Test
    void aReleaseTagOnlyTheRemoteHasIsRefusedToo() throws Exception {
        RevCommit theirs = commit(fx.colleague(), "c.txt", "c", "Their release");
        fx.colleague().tag().setName("v2.0.0").setAnnotated(true).setMessage("Release 2.0.0").call();
        fx.colleague().push().setRemote("origin").setPushTags().call();

        StepHarness.Run run = run(harness().input("tags", List.of("v2.0.0")));

        assertEquals(Status.FAILED, run.result().status());
        assertEquals("the release tag v2.0.0 already exists on origin, at " + theirs.abbreviate(7).name()
                + "; it was made before this release began", run.result().message());
        assertTrue(run.result().hint().contains("git push origin :refs/tags/v2.0.0"), run.result().hint());
    }

    @Test
    void aReleaseTagAtHeadIsThisReleasesOwnOnlyWhenTheReleaseIsResumed() throws Exception {
        assertEquals(Status.SUCCEEDED, run(harness().input("tags", List.of("v3.0.0", "pkg-v3.0.0"))).result().status());
        // The release went on and tagged; an input of the preflight changed, so it runs again.
        fx.git.tag().setName("v3.0.0").setAnnotated(true).setMessage("Release 3.0.0").call();

        StepHarness.Run run = run(harness().input("tags", List.of("v3.0.0", "pkg-v3.0.0")));

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
    }

    @Test
    void aReleaseTagAtHeadBeforeTheReleaseBeganIsRefused() throws Exception {
        // Made at the commit the release starts from: the release commit (or, for a dry run, nothing) comes between.
        fx.git.tag().setName("v3.0.0").setAnnotated(true).setMessage("premature").call();

        StepHarness.Run run = run(harness().input("tags", List.of("v3.0.0")));

        assertEquals(Status.FAILED, run.result().status());
        assertTrue(run.result().message().endsWith("; it was made before this release began"), run.result().message());
    }
}
