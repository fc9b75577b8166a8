package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code runner abandon}: a release stopped before anything was published is undone on this
 * machine (branch, tags, files), and the same version can then be released; one that published
 * something is refused, and nothing changes.
 */
@Tag("process")
class AbandonIT {

    @TempDir
    Path dir;

    private static List<String> abandonCommand(SampleRepo repo) {
        List<String> args = new ArrayList<>(List.of("abandon"));
        args.addAll(repo.command());
        args.remove("--non-interactive");
        return args;
    }

    /**
     * @param until stopped by {@code --until rehearse} (exit 0, as the prepare job of a handoff) rather than at
     *              the approval for lack of credentials (exit 3): either way the release is not done
     */
    @ParameterizedTest(name = "stopped by --until: {0}")
    @ValueSource(booleans = {false, true})
    void aReleaseStoppedBeforePublishingIsUndoneAndTheSameVersionCanBeReleasedAfterwards(boolean until) throws Exception {
        SampleRepo repo = SampleRepo.create(dir);
        Map<String, String> treeBefore = SampleRepo.tree(repo.work);
        ObjectId start = repo.remoteHead();
        Runner.Result stopped = until ? repo.release(Map.of(), "--until", "rehearse") : repo.release(Map.of());
        assertEquals(until ? 0 : 3, stopped.exit(), stopped.summary());
        try (Git git = Git.open(repo.work.toFile())) {
            assertFalse(git.getRepository().resolve("HEAD").equals(start), "the release commit should be there before abandon");
        }

        Runner.Result abandoned = Runner.run(repo.work, Map.of(), abandonCommand(repo));
        assertEquals(0, abandoned.exit(), abandoned.summary());
        try (Git git = Git.open(repo.work.toFile())) {
            assertEquals(start, git.getRepository().resolve("HEAD"), "the branch is back where the release started");
            assertEquals(null, git.getRepository().exactRef("refs/tags/v" + SampleRepo.VERSION), "the local tag is gone");
            assertTrue(git.status().call().isClean(), "the tree is clean: " + git.status().call().getUncommittedChanges());
        }
        assertEquals(treeBefore, SampleRepo.tree(repo.work), "every file as it was before the release");
        Path journalDir = repo.work.resolve(".slipway/release/" + SampleRepo.VERSION);
        assertFalse(Files.exists(journalDir.resolve("journal.json")));
        try (Stream<Path> kept = Files.list(journalDir)) {
            assertEquals(1, kept.filter(p -> p.getFileName().toString().startsWith("journal-abandoned-")).count(), "the journal is kept for audit");
        }

        Runner.Result again = repo.release(Runner.CREDENTIALS);
        assertEquals(0, again.exit(), again.summary());
        assertTrue(repo.remoteTags().contains("v" + SampleRepo.VERSION), repo.remoteTags()::toString);
    }

    @Test
    void aPublishedReleaseIsNotAbandonedAndNothingChanges() throws Exception {
        SampleRepo repo = SampleRepo.create(dir);
        Runner.Result done = repo.release(Runner.CREDENTIALS);
        assertEquals(0, done.exit(), done.summary());
        ObjectId head;
        try (Git git = Git.open(repo.work.toFile())) {
            head = git.getRepository().resolve("HEAD");
        }
        Map<String, String> treeAfterRelease = SampleRepo.tree(repo.work);

        Runner.Result refused = Runner.run(repo.work, Map.of(), abandonCommand(repo));
        assertEquals(2, refused.exit(), refused.summary());
        assertTrue(refused.has("cannot abandon release " + SampleRepo.VERSION + ": some of it is already out there"), refused.summary());
        assertTrue(refused.has("publish/tagging: pushed refs/heads/main, refs/tags/v" + SampleRepo.VERSION), refused.summary());
        assertTrue(refused.has("a published version cannot be taken back"), refused.summary());
        try (Git git = Git.open(repo.work.toFile())) {
            assertEquals(head, git.getRepository().resolve("HEAD"));
            assertTrue(git.getRepository().exactRef("refs/tags/v" + SampleRepo.VERSION) != null);
        }
        assertEquals(treeAfterRelease, SampleRepo.tree(repo.work));
        assertTrue(Files.exists(repo.work.resolve(".slipway/release/" + SampleRepo.VERSION + "/journal.json")));
    }
}
