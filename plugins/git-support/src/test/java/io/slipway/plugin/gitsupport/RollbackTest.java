package io.slipway.plugin.gitsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RollbackTest {

    @RegisterExtension
    final GitFixture fx = new GitFixture();

    @Test
    void theBranchGoesBackOverTheReleaseCommitsAndTheirTagsGo() throws Exception {
        ObjectId start = fx.head();
        RevCommit release = GitFixture.commit(fx.git, "VERSION", "1.1.0\n", "release: 1.1.0");
        fx.git.tag().setName("v1.1.0").setObjectId(release).setAnnotated(true).setMessage("1.1.0").call();
        fx.git.tag().setName("v1.0.0-old").setObjectId(fx.git.getRepository().parseCommit(start)).call();

        List<String> done = Rollback.undo(fx.work, start.name(), Set.of(release.name()), List.of());

        assertEquals(start, fx.head());
        assertNull(fx.git.getRepository().exactRef("refs/tags/v1.1.0"), "the release's tag is gone");
        assertTrue(fx.git.getRepository().exactRef("refs/tags/v1.0.0-old") != null, "an older tag stays");
        assertEquals(2, done.size(), done::toString);
        assertTrue(done.get(1).contains("over 1 release commit(s)"), done::toString);
    }

    @Test
    void whatAToolStagedForTheReleaseIsUnstagedAlsoWithoutAReleaseCommit() throws Exception {
        GitFixture.commit(fx.git, "changes/1.feature", "One.\n", "a news fragment");
        ObjectId start = fx.head();
        // towncrier, before the release commit: the newsfile written and git-added, the fragment git-rm'd
        Files.writeString(fx.work.resolve("NEWS.rst"), "1.1.0\n");
        fx.git.add().addFilepattern("NEWS.rst").call();
        fx.git.rm().addFilepattern("changes/1.feature").call();
        // abandon puts the files back after the undo
        Files.delete(fx.work.resolve("NEWS.rst"));
        Files.createDirectories(fx.work.resolve("changes"));
        Files.writeString(fx.work.resolve("changes/1.feature"), "One.\n");

        List<String> done = Rollback.undo(fx.work, start.name(), Set.of(), List.of("NEWS.rst", "changes/1.feature", "README.md"));

        assertEquals(List.of(), done, "no commit to move back over, no tag");
        assertEquals(start, fx.head());
        Status status = fx.git.status().call();
        assertTrue(status.isClean(), "staged: " + status.getUncommittedChanges() + ", untracked: " + status.getUntracked());
    }

    @Test
    void aCommitTheReleaseDidNotMakeIsNotDropped() throws Exception {
        ObjectId start = fx.head();
        RevCommit release = GitFixture.commit(fx.git, "VERSION", "1.1.0\n", "release: 1.1.0");
        RevCommit mine = GitFixture.commit(fx.git, "fix.txt", "fixed\n", "fix the flaky test");

        Refused refused = assertThrows(Refused.class, () -> Rollback.undo(fx.work, start.name(), Set.of(release.name()), List.of()));

        assertTrue(refused.getMessage().contains(mine.abbreviate(7).name() + " \"fix the flaky test\""), refused.getMessage());
        assertEquals(mine.getId(), fx.head(), "nothing moved");
    }

    @Test
    void headNotOnTopOfTheStartIsRefused() throws Exception {
        ObjectId start = fx.head();
        GitFixture.commit(fx.git, "a.txt", "a\n", "somewhere");
        ObjectId elsewhere = fx.head();
        fx.git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(start.name()).call();
        GitFixture.commit(fx.git, "b.txt", "b\n", "another line of history");

        Refused refused = assertThrows(Refused.class, () -> Rollback.undo(fx.work, elsewhere.name(), Set.of(), List.of()));
        assertTrue(refused.getMessage().contains("is not on top of"), refused.getMessage());
    }
}
