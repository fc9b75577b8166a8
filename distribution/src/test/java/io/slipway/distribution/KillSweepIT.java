package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the runner and every process it started, at twelve moments spread evenly over a whole
 * release of the monorepo sample with the reference pipeline (production on the embedded index, no
 * rehearsal): inside the commits, the builds, the uploads, the tag push. Each trial starts from a
 * fresh repository, and the same command, with no help, must end exactly as an uninterrupted
 * release: every file on the index once (counted in the index's own record of what it accepted)
 * and byte-identical to what was built, the tag on the remote branch's release commit, one release
 * commit, a clean tree, exit 0.
 */
@Tag("process")
class KillSweepIT {

    private static final Path SOURCE = Path.of("..").toAbsolutePath().normalize();
    private static final int TRIALS = 12;

    @TempDir
    static Path dir;
    /** How long an uninterrupted release takes, and how many commits it adds to the remote branch. */
    static long wholeMillis;
    static int releaseCommits;

    private static SampleRepo monorepo(String name) throws Exception {
        SampleRepo repo = SampleRepo.create(Files.createDirectories(dir.resolve(name)), SOURCE.resolve("samples/monorepo"), "v0.4.0");
        Files.copy(SOURCE.resolve("release.kts"), repo.work.resolve("release.kts"), StandardCopyOption.REPLACE_EXISTING);
        try (Git git = Git.open(repo.work.toFile())) {
            git.add().addFilepattern(".").call();
            git.commit().setAll(true).setMessage("Use the reference pipeline").call();
            git.push().setRemote("origin").add("main").call();
        }
        return repo;
    }

    private static List<String> command() {
        return List.of("release.kts", "--version", "1.0.0", "--set", "repository=local", "--set", "rehearsal-repository=none",
                "--set", "build-args=--no-isolation", "--non-interactive", "--python", Runner.PYTHON);
    }

    @BeforeAll
    static void anUninterruptedRelease() throws Exception {
        SampleRepo repo = monorepo("whole");
        ObjectId start = repo.remoteHead();
        // The script compiles once, before the clock starts: every trial runs with a warm cache.
        List<String> validate = new ArrayList<>(List.of("validate"));
        validate.addAll(command().subList(0, 7));
        assertEquals(0, Runner.run(repo.work, Map.of(), validate).exit());
        long t0 = System.nanoTime();
        Runner.Result r = Runner.run(repo.work, Runner.CREDENTIALS, command());
        wholeMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, r.exit(), r.summary());
        releaseCommits = commitsSince(repo, start).size();
        assertTrue(releaseCommits >= 1, "the release made no commit");
    }

    @ParameterizedTest(name = "killed at {0}/" + (TRIALS + 1) + " of the release")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void killedAtAnyMomentTheSameCommandFinishesTheReleaseExactlyOnce(int point) throws Exception {
        SampleRepo repo = monorepo("trial-" + point);
        ObjectId start = repo.remoteHead();
        Runner first = Runner.start(repo.work, Runner.CREDENTIALS, command());
        Thread.sleep(wholeMillis * point / (TRIALS + 1));
        Runner.Result killed = first.crash();

        Runner.Result resumed = Runner.run(repo.work, Runner.CREDENTIALS, command());
        String what = "killed at " + (wholeMillis * point / (TRIALS + 1)) + " of " + wholeMillis + " ms (exit " + killed.exit()
                + ", last line: " + (killed.lines().isEmpty() ? "none" : killed.lines().get(killed.lines().size() - 1)) + ")\n"
                + resumed.summary();
        assertEquals(0, resumed.exit(), what);

        Map<String, String> built = repo.builtSha256();
        assertEquals(6, built.size(), what);
        assertEquals(built, SampleRepo.indexFiles(repo.productionIndex()), "the index holds exactly what was built; " + what);
        Map<String, Integer> accepted = new TreeMap<>();
        for (String line : Files.readAllLines(repo.productionIndex().resolveSibling("production.uploads"))) {
            accepted.merge(line.split(" ")[0], 1, Integer::sum);
        }
        Map<String, Integer> once = new TreeMap<>();
        built.keySet().forEach(f -> once.put(f, 1));
        assertEquals(once, accepted, "uploads the index accepted; " + what);

        List<RevCommit> commits = commitsSince(repo, start);
        assertEquals(releaseCommits, commits.size(), "commits on the remote branch since the release started; " + what);
        try (Git origin = Git.open(repo.remote.toFile())) {
            Ref tag = origin.getRepository().getRefDatabase().peel(origin.getRepository().exactRef("refs/tags/v1.0.0"));
            assertEquals(repo.remoteHead(), tag.getPeeledObjectId() != null ? tag.getPeeledObjectId() : tag.getObjectId(),
                    "v1.0.0 names the release commit at the head of the remote branch; " + what);
        }
        try (Git git = Git.open(repo.work.toFile())) {
            assertTrue(git.status().call().isClean(), "a clean tree; " + what);
            assertEquals(repo.remoteHead(), git.getRepository().resolve("HEAD"), what);
        }
    }

    private static List<RevCommit> commitsSince(SampleRepo repo, ObjectId start) throws Exception {
        try (Git origin = Git.open(repo.remote.toFile())) {
            List<RevCommit> commits = new ArrayList<>();
            origin.log().addRange(start, origin.getRepository().resolve("refs/heads/main")).call().forEach(commits::add);
            return commits;
        }
    }
}
