package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One release told as it happens in CI: the scheduled run has no production credentials and
 * stops at the approval; the release manager rejects it, and a run with credentials does not undo
 * that; approved, but a colleague pushed meanwhile, so the run refuses to publish; once the remote
 * is back where the release started, the same command publishes without rebuilding. The tests run in this order on one repository: the monorepo sample with the
 * reference pipeline, rehearsed on the embedded index.
 */
@Tag("process")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApprovalIT {

    @TempDir
    static Path dir;
    static SampleRepo repo;
    static ObjectId startedAt;

    @BeforeAll
    static void repository() throws Exception {
        repo = SampleRepo.referencePipeline(dir, "local");
        startedAt = repo.remoteHead();
    }

    @Test
    @Order(1)
    void withoutCredentialsTheReleaseRehearsesAndStopsAtTheApprovalWithExit3() throws Exception {
        Runner.Result run = repo.release(Map.of());

        assertEquals(3, run.exit(), run.summary());
        assertTrue(run.has("waiting for approval \"release-manager\": missing credentials for local"),
                "the stop names the missing credentials:\n" + run.summary());
        assertEquals(6, SampleRepo.indexFiles(repo.rehearsalIndex()).size(), "the rehearsal ran:\n" + run.summary());
        assertEquals(Map.of(), SampleRepo.indexFiles(repo.productionIndex()));
    }

    @Test
    @Order(2)
    void aRejectionHoldsWhenTheSameCommandRunsAgainWithCredentials() throws Exception {
        Runner.Result rejected = repo.release(Map.of(), "--reject", "release-manager", "--reason", "the notes are wrong");
        assertEquals(4, rejected.exit(), rejected.summary());

        // A CI job run again with the production credentials, which the credential policy would approve.
        Runner.Result run = repo.release(Runner.CREDENTIALS);

        assertEquals(4, run.exit(), run.summary());
        assertTrue(run.has("a rejection holds until someone approves") && run.has("the notes are wrong"), run.summary());
        assertTrue(run.has("run again with --approve release-manager"), run.summary());
        assertEquals(Map.of(), SampleRepo.indexFiles(repo.productionIndex()));
        assertFalse(repo.remoteTags().contains("v1.0.0"), repo.remoteTags().toString());
        assertEquals(startedAt, repo.remoteHead());
    }

    @Test
    @Order(3)
    void aColleaguesPushWhileWaitingStopsThePublishBeforeAnythingIsUploadedOrTagged() throws Exception {
        RevCommit theirs;
        try (Git colleague = Git.cloneRepository().setURI(repo.remote.toUri().toString())
                .setDirectory(dir.resolve("colleague").toFile()).call()) {
            Files.writeString(dir.resolve("colleague/NOTES.md"), "a colleague's change\n");
            colleague.add().addFilepattern("NOTES.md").call();
            theirs = colleague.commit().setAuthor("Colleague", "colleague@slipway.invalid")
                    .setCommitter("Colleague", "colleague@slipway.invalid").setMessage("Notes").call();
            colleague.push().call();
        }

        Runner.Result run = repo.release(Runner.CREDENTIALS, "--approve", "release-manager");

        assertEquals(1, run.exit(), run.summary());
        assertTrue(run.lines().stream().anyMatch(l -> l.startsWith("error: publish/remote-unchanged")), run.summary());
        assertTrue(run.has(theirs.abbreviate(7).name() + " Notes"), "names the new commit:\n" + run.summary());
        assertEquals(Map.of(), SampleRepo.indexFiles(repo.productionIndex()));
        assertFalse(repo.remoteTags().contains("v1.0.0"), repo.remoteTags().toString());
        assertEquals(theirs, repo.remoteHead(), "nothing was pushed over the colleague's commit");
    }

    @Test
    @Order(4)
    void withCredentialsTheSameCommandPublishesWithoutRebuilding() throws Exception {
        try (Git origin = Git.open(repo.remote.toFile())) {
            // The colleague's commit is withdrawn, so the remote is where the release started.
            RefUpdate back = origin.getRepository().updateRef("refs/heads/main");
            back.setNewObjectId(startedAt);
            back.setForceUpdate(true);
            assertEquals(RefUpdate.Result.FORCED, back.update());
        }

        Runner.Result run = repo.release(Runner.CREDENTIALS);

        assertEquals(0, run.exit(), run.summary());
        assertTrue(run.has("done build/python-build"), run.summary());
        assertEquals(1, repo.step("build/python-build").path("attempts").asInt(), repo.step("build/python-build").toString());
        assertEquals(repo.builtSha256(), SampleRepo.indexFiles(repo.productionIndex()));
        JsonNode approval = repo.step("publish/release-manager").path("facts");
        assertEquals("--approve release-manager", approval.path("how").asText(), approval.toString());
        assertTrue(approval.path("reason").isMissingNode(), "the rejection's reason is not the approval's: " + approval);
        assertTrue(repo.remoteTags().contains("v1.0.0"), repo.remoteTags().toString());
    }
}
