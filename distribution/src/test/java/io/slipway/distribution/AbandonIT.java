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
 * machine (branch, tags, files), and the same version can then be released; once that release
 * has published, abandon is refused, and nothing changes.
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
     *              the approval for lack of credentials (exit 3): either way the release is not done, and
     *              abandon leaves the same state; the release after it is made once, for the approval's stop
     */
    @ParameterizedTest(name = "stopped by --until: {0}")
    @ValueSource(booleans = {false, true})
    void aReleaseStoppedBeforePublishingIsUndoneAndTheSameVersionCanBeReleasedAfterwardsAndThenNotAbandoned(boolean until) throws Exception {
        SampleRepo repo = SampleRepo.create(dir);
        Map<String, String> treeBefore = SampleRepo.tree(repo.work);
        ObjectId start = repo.remoteHead();
        Runner.Result stopped = until ? repo.release(Map.of(), "--until", "rehearse") : repo.release(Map.of());
        assertEquals(until ? 0 : 3, stopped.exit(), stopped.summary());
        ObjectId released;
        try (Git git = Git.open(repo.work.toFile())) {
            released = git.getRepository().resolve("HEAD");
            assertFalse(released.equals(start), "the release commit should be there before abandon");
        }
        Map<String, String> treeStopped = SampleRepo.tree(repo.work);
        String journalStopped = Files.readString(repo.work.resolve(".slipway/release/" + SampleRepo.VERSION + "/journal.json"));

        // Starting over on top of the release's own commit would leave it there for good; abandon is the way.
        Runner.Result restarted = repo.release(Map.of(), "--restart");
        assertEquals(2, restarted.exit(), restarted.summary());
        assertTrue(restarted.has("--restart would start the release over on top of them"), restarted.summary());
        String hint = restarted.lines().stream().filter(l -> l.startsWith("hint: to start over, undo that run first: runner abandon "))
                .findFirst().orElseThrow(() -> new AssertionError(restarted.summary()));
        List<String> hinted = List.of(hint.substring(hint.indexOf("runner abandon ") + "runner ".length(), hint.indexOf(" puts the branch"))
                .split(" "));
        try (Git git = Git.open(repo.work.toFile())) {
            assertEquals(released, git.getRepository().resolve("HEAD"));
        }
        assertEquals(treeStopped, SampleRepo.tree(repo.work), "nothing changed");
        assertEquals(journalStopped, Files.readString(repo.work.resolve(".slipway/release/" + SampleRepo.VERSION + "/journal.json")));

        // the command the hint gives, as a user would copy it
        Runner.Result abandoned = Runner.run(repo.work, Map.of(), hinted);
        assertEquals(0, abandoned.exit(), hinted + "\n" + abandoned.summary());
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

        if (until) {
            return; // the state abandon leaves was checked the same as for the other variant; releasing it again is done once
        }
        Runner.Result again = repo.release(Runner.CREDENTIALS);
        assertEquals(0, again.exit(), again.summary());
        assertTrue(repo.remoteTags().contains("v" + SampleRepo.VERSION), repo.remoteTags()::toString);
        aPublishedReleaseIsNotAbandonedAndNothingChanges(repo);
    }

    private static void aPublishedReleaseIsNotAbandonedAndNothingChanges(SampleRepo repo) throws Exception {
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

    /** The towncrier packaging style (src/test/resources/styles) with the root release.kts. */
    private static final Path TOWNCRIER = Path.of("src/test/resources/styles/towncrier").toAbsolutePath();
    private static final Path RELEASE_KTS = Path.of("../release.kts").toAbsolutePath();
    /** The files towncrier changes: the newsfile and the two news fragments it takes (CRLF, no final newline, non-ASCII). */
    private static final List<String> NEWS = List.of("NEWS.rst", "changes/12.feature", "changes/13.bugfix");
    private static final List<String> OPTIONS = List.of("--set", "repository=local", "--set", "rehearsal-repository=none",
            "--set", "build-args=--no-isolation");

    private static Runner.Result releaseTowncrier(SampleRepo repo, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("release.kts", "--version", "1.5.0"));
        args.addAll(OPTIONS);
        args.addAll(List.of("--non-interactive", "--python", Runner.PYTHON));
        args.addAll(List.of(extra));
        return Runner.run(repo.work, Map.of(), args); // no credentials: a release that passes its tests waits at the approval
    }

    /** {@code git status --porcelain} by git itself: what a user would see. */
    private static String porcelain(Path work) throws Exception {
        Process git = new ProcessBuilder("git", "status", "--porcelain").directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, git.waitFor(), out);
        return out;
    }

    private static Map<String, String> news(SampleRepo repo) {
        Map<String, String> sha = new java.util.TreeMap<>();
        NEWS.forEach(f -> sha.put(f, Files.exists(repo.work.resolve(f)) ? SampleRepo.sha256(repo.work.resolve(f)) : "missing"));
        return sha;
    }

    @Test
    void towncriersNewsfileAndFragmentsComeBackAfterAFailedTestAndAfterAbandonAndAbandonNamesTheReleasesOptions() throws Exception {
        SampleRepo repo = SampleRepo.create(dir, TOWNCRIER, "v1.4.0", RELEASE_KTS);
        Files.write(repo.work.resolve("changes/13.bugfix"), "Ankers hold\r\n— again.".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (Git git = Git.open(repo.work.toFile())) {
            git.add().addFilepattern("changes/13.bugfix").call();
            git.commit().setMessage("A second news fragment").call();
            git.push().setRemote("origin").add("main").call();
        }
        ObjectId start = repo.remoteHead();
        Map<String, String> before = news(repo);
        assertEquals(List.of(), before.values().stream().filter("missing"::equals).toList());

        Runner.Result failed = releaseTowncrier(repo, "--set", "test-command=false");

        assertEquals(1, failed.exit(), failed.summary());
        assertTrue(failed.has("prepare/tests failed"), failed.summary());
        assertTrue(failed.has("towncrier wrote the 1.5.0 section of NEWS.rst"), failed.summary());
        assertEquals("", porcelain(repo.work), "a failed test leaves a clean tree");
        assertEquals(before, news(repo), "the newsfile and the fragments as they were");

        Runner.Result waiting = releaseTowncrier(repo, "--set", "test-command=true");

        assertEquals(3, waiting.exit(), waiting.summary());
        assertTrue(waiting.has("towncrier wrote the 1.5.0 section of NEWS.rst"), "built again after the give-back: " + waiting.summary());
        ObjectId released;
        try (Git git = Git.open(repo.work.toFile())) {
            released = git.getRepository().resolve("HEAD");
        }
        assertFalse(released.equals(start), "the release commit is there");
        assertEquals("missing", news(repo).get("changes/13.bugfix"), "the release took the fragment");

        // abandon without the release's --set options: the script so evaluated has neither its local index nor its tests
        Runner.Result refused = Runner.run(repo.work, Map.of(), List.of("abandon", "release.kts", "--version", "1.5.0"));

        assertEquals(2, refused.exit(), refused.summary());
        assertTrue(refused.has("error: cannot abandon release 1.5.0: the script, evaluated with these options, does not have the"
                + " release's steps preflight/local-index, prepare/tests; nothing is known to be published"), refused.summary());
        assertFalse(refused.has("already out there") || refused.has("cannot be taken back"), refused.summary());
        String copy = "runner abandon release.kts --version 1.5.0 --set repository=local --set rehearsal-repository=none"
                + " --set build-args=--no-isolation --set test-command=true";
        String hint = refused.lines().stream().filter(l -> l.startsWith("hint: ")).findFirst().orElse("");
        assertTrue(hint.contains("as its journal " + repo.work.resolve(".slipway/release/1.5.0/journal.json") + " records them: "
                + copy + " (earlier runs of it had --set repository=local --set rehearsal-repository=none"
                + " --set build-args=--no-isolation --set test-command=false: a step only they had needs their options);"
                + " nothing was changed here"), hint);
        try (Git git = Git.open(repo.work.toFile())) {
            assertEquals(released, git.getRepository().resolve("HEAD"), "nothing moved");
        }
        assertTrue(Files.exists(repo.work.resolve(".slipway/release/1.5.0/journal.json")));

        // the command the hint gives
        List<String> args = new ArrayList<>(List.of(copy.substring("runner ".length()).split(" ")));
        Runner.Result abandoned = Runner.run(repo.work, Map.of(), args);

        assertEquals(0, abandoned.exit(), abandoned.summary());
        try (Git git = Git.open(repo.work.toFile())) {
            assertEquals(start, git.getRepository().resolve("HEAD"), "the branch is back where the release started");
        }
        assertEquals("", porcelain(repo.work), "abandon leaves a clean tree");
        assertEquals(before, news(repo), "the newsfile and the fragments as they were");
    }
}
