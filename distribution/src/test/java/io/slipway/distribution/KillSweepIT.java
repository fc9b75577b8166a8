package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kill -9 of the runner and every process it started, at moments spread over the parts of a release
 * of the monorepo sample with the reference pipeline (production on the embedded index, no
 * rehearsal) where a crash can leave something half done: the release's edits and its commit, the
 * builds, the uploads, the tag push. Each trial starts from a fresh repository and kills twice: the
 * release at an early moment, then the run of the same command that resumes it at a later one. A
 * third run of the same command, with no help, must end exactly as an uninterrupted release: every
 * file on the index once (counted in the index's own record of what it accepted) and byte-identical
 * to what was built, the tag on the remote branch's release commit, one release commit, a clean
 * tree, exit 0. Two kills a trial halve the releases the sweep runs, and a crash while resuming is
 * one more thing that must not matter.
 *
 * <p>A moment is timed from the console line that starts its span of steps, by a fraction of how
 * long that span took in an uninterrupted release: timed from the runner's start, most kills of a
 * busy machine fell on the JVM's start or the preflight, where nothing has changed yet.
 */
@Tag("process")
class KillSweepIT {

    /** Where a trial kills: {@code fraction} of the way through the steps {@code from} to {@code to}, timed from the start of {@code from}. */
    record Moment(String from, String to, double fraction) {

        @Override
        public String toString() {
            return Math.round(fraction * 100) + "% through " + (from.equals(to) ? from : from + " .. " + to);
        }
    }

    /** Kills the release at {@code first}, then the run resuming it at {@code second}. */
    record Trial(Moment first, Moment second) {

        @Override
        public String toString() {
            return first + ", then " + second + " of the resumed run";
        }
    }

    static Stream<Trial> trials() {
        return Stream.of(
                new Trial(new Moment("prepare/set-version", "prepare/tests", 0.5), // files edited, nothing committed
                        new Moment("publish/upload", "publish/upload", 1.0 / 3)), // some files on the index
                new Trial(new Moment("prepare/commit", "prepare/commit", 0.5), // git writing the release commit
                        new Moment("publish/upload", "publish/upload", 2.0 / 3)),
                new Trial(new Moment("build/python-build", "build/python-build", 1.0 / 3), // some packages built
                        new Moment("publish/tagging", "publish/tagging", 1.0 / 3)), // the tag made, pushed or not
                new Trial(new Moment("build/python-build", "build/python-build", 2.0 / 3),
                        new Moment("publish/tagging", "publish/tagging", 2.0 / 3)));
    }

    @TempDir
    static Path dir;
    /** The uninterrupted release's journal: when each step started and ended. */
    static JsonNode whole;
    /** How many commits the uninterrupted release added to the remote branch. */
    static int releaseCommits;

    private static SampleRepo monorepo(String name) throws Exception {
        return SampleRepo.referencePipeline(dir.resolve(name), "none");
    }

    @BeforeAll
    static void anUninterruptedRelease() throws Exception {
        SampleRepo repo = monorepo("whole");
        ObjectId start = repo.remoteHead();
        Runner.Result r = repo.release(Runner.CREDENTIALS);
        assertEquals(0, r.exit(), r.summary());
        whole = repo.journal().path("steps");
        releaseCommits = commitsSince(repo, start).size();
        assertTrue(releaseCommits >= 1, "the release made no commit");
    }

    @ParameterizedTest(name = "killed {0}")
    @MethodSource("trials")
    void killedAtAnyMomentAndAgainWhileResumingTheSameCommandFinishesTheReleaseExactlyOnce(Trial trial) throws Exception {
        long[] delays = {delay(trial.first()), delay(trial.second())};
        SampleRepo repo;
        ObjectId start;
        StringBuilder kills;
        // A kill that came after its span ended (this run went faster than the uninterrupted one) came too late to
        // count: the trial is made again in a fresh repository, killing sooner, down to right as the span starts.
        for (int attempt = 0; ; attempt++) {
            repo = monorepo("trial-" + trials().toList().indexOf(trial) + "-" + attempt);
            start = repo.remoteHead();
            kills = new StringBuilder();
            int late = -1;
            for (int k = 0; k < 2 && late < 0; k++) {
                Moment moment = k == 0 ? trial.first() : trial.second();
                Runner run = repo.start(Runner.CREDENTIALS);
                assertTrue(run.awaitLine(l -> l.equals("> " + moment.from())), moment.from() + " never started; " + kills);
                boolean spanEnded = run.awaitLine(l -> l.startsWith("ok " + moment.to() + " "), Duration.ofMillis(delays[k]));
                Runner.Result killed = run.crash();
                kills.append("killed ").append(delays[k]).append(" ms after ").append(moment.from()).append(" started (")
                        .append(span(moment).toMillis()).append(" ms to the end of ").append(moment.to())
                        .append(" in the uninterrupted release; exit ").append(killed.exit()).append(", last line: ")
                        .append(killed.lines().isEmpty() ? "none" : killed.lines().get(killed.lines().size() - 1)).append(")\n");
                if (spanEnded && delays[k] > 0) {
                    late = k;
                }
            }
            if (late < 0) {
                break;
            }
            delays[late] /= 2;
        }

        Runner.Result resumed = repo.release(Runner.CREDENTIALS);
        String what = kills + resumed.summary();
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

    /** How long the moment's span of steps took in the uninterrupted release. */
    private static Duration span(Moment moment) {
        return Duration.between(Instant.parse(whole.path(moment.from()).path("started").asText()),
                Instant.parse(whole.path(moment.to()).path("ended").asText()));
    }

    private static long delay(Moment moment) {
        return Math.round(span(moment).toMillis() * moment.fraction());
    }

    private static List<RevCommit> commitsSince(SampleRepo repo, ObjectId start) throws Exception {
        try (Git origin = Git.open(repo.remote.toFile())) {
            List<RevCommit> commits = new ArrayList<>();
            origin.log().addRange(start, origin.getRepository().resolve("refs/heads/main")).call().forEach(commits::add);
            return commits;
        }
    }
}
