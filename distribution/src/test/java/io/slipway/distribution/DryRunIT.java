package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --dry-run}: the whole release rehearsed, and no trace in the work tree, the history or the remote. */
@Tag("process")
class DryRunIT {

    @TempDir
    static Path dir;
    static SampleRepo repo;
    static Map<String, String> treeBefore;
    static ObjectId headBefore;
    static ObjectId remoteBefore;
    static Runner.Result run;

    @BeforeAll
    static void dryRun() throws Exception {
        repo = SampleRepo.create(dir);
        treeBefore = SampleRepo.tree(repo.work);
        try (Git git = Git.open(repo.work.toFile())) {
            headBefore = git.getRepository().resolve("HEAD");
        }
        remoteBefore = repo.remoteHead();
        // With credentials, so the run goes through the approval to its end.
        run = repo.release(Runner.CREDENTIALS, "--dry-run");
    }

    @Test
    void theDryRunSucceeds() {
        assertEquals(0, run.exit(), run.summary());
    }

    @Test
    void theWorkTreeIsByteIdenticalAfterwards() throws Exception {
        Map<String, String> after = SampleRepo.tree(repo.work);
        List<String> added = after.keySet().stream().filter(f -> !treeBefore.containsKey(f)).toList();
        List<String> changedOrRemoved = treeBefore.keySet().stream().filter(f -> !treeBefore.get(f).equals(after.get(f))).toList();
        assertEquals(List.of(), changedOrRemoved, "files changed or removed by the dry run");
        assertEquals(List.of(), added, "files left behind by the dry run");
    }

    @Test
    void gitSeesNoChangeAndHeadDidNotMove() throws Exception {
        try (Git git = Git.open(repo.work.toFile())) {
            Status status = git.status().call();
            assertTrue(status.isClean(), "changed: " + status.getUncommittedChanges() + ", untracked: " + status.getUntracked());
            assertEquals(headBefore, git.getRepository().resolve("HEAD"));
        }
    }

    @Test
    void theRemoteHasNoNewCommitAndNoNewTag() throws Exception {
        assertEquals(remoteBefore, repo.remoteHead());
        assertEquals(List.of("v0.4.0"), repo.remoteTags());
    }

    @Test
    void nothingReachesTheProductionIndex() throws Exception {
        assertEquals(Map.of(), SampleRepo.indexFiles(repo.productionIndex()));
    }
}
