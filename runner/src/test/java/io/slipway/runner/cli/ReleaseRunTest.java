package io.slipway.runner.cli;

import static io.slipway.runner.cli.Runner.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner as a user meets it: a real script, a journal on disk, and a process of its own where a signal or a kill is the point. */
@Tag("process")
class ReleaseRunTest {

    @TempDir
    Path dir;

    private Path script(String text) throws Exception {
        Path s = dir.resolve("release.kts");
        Files.writeString(s, text);
        return s;
    }

    private JsonNode journal(String version) throws Exception {
        return new ObjectMapper().readTree(dir.resolve(".slipway/release/" + version + "/journal.json").toFile());
    }

    /** A step that appends a line to NAME.count each time it runs. */
    private static String counted(String id) {
        return "run(\"" + id + "\", \"sh -c 'echo run >> " + id + ".count'\")";
    }

    @Test
    void aPipelineOfRunStepsCompletesAndWritesTheReleaseLog() throws Exception {
        script("""
                pipeline("release") {
                    job("prepare") { %s; %s }
                    job("publish", needs = "prepare") { run("say", "echo releasing $version") }
                }
                """.formatted(counted("one"), counted("two")));
        var r = Runner.run(dir, "release.kts", "--version", "3.1.0");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(1, lines(dir.resolve("one.count")));
        assertEquals(1, lines(dir.resolve("two.count")));
        assertTrue(r.out().contains("releasing 3.1.0"), r::toString);
        String log = Files.readString(dir.resolve(".slipway/logs/release-3.1.0.log"));
        assertTrue(log.contains("releasing 3.1.0"), log);
        assertEquals("SUCCEEDED", journal("3.1.0").at("/steps/publish~1say/status").asText());
    }

    @Test
    void aLogFolderTheRunMakesInTheRepositoryLeavesTheTreeClean() throws Exception {
        script("pipeline(\"release\") { job(\"a\") { run(\"say\", \"echo hello\") } }");
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(dir.toFile()).call()) {
            git.add().addFilepattern("release.kts").call();
            git.commit().setMessage("init").setAuthor("T", "t@slipway.invalid").setCommitter("T", "t@slipway.invalid").call();

            var r = Runner.run(dir, "release.kts", "--version", "1.0", "--log-dir", "logs/release", "--state-dir", "state");

            assertEquals(0, r.exit(), r::toString);
            assertTrue(Files.readString(dir.resolve("logs/release/release-1.0.log")).contains("hello"));
            // what git-hygiene's clean-tree check of the next release would see
            assertEquals(java.util.Set.of(), git.status().call().getUntracked());
        }
    }

    @Test
    void aFailingStepExitsWithOneAndTheJournalShowsWhere() throws Exception {
        script("""
                pipeline("release") {
                    job("build") { %s; run("broken", "sh -c 'exit 7'"); %s }
                }
                """.formatted(counted("before"), counted("after")));
        var r = Runner.run(dir, "release.kts", "--version", "1.0.0");
        assertEquals(1, r.exit(), r::toString);
        JsonNode steps = journal("1.0.0").get("steps");
        assertEquals("SUCCEEDED", steps.at("/build~1before/status").asText());
        assertEquals("FAILED", steps.at("/build~1broken/status").asText());
        assertTrue(steps.at("/build~1broken/message").asText().contains("exited with code 7"));
        assertFalse(steps.has("build/after"));
        assertEquals(0, lines(dir.resolve("after.count")));
    }

    @Test
    void afterKillDashNineTheSameCommandRunsOnlyTheUnfinishedSteps() throws Exception {
        script("""
                pipeline("release") {
                    job("a") {
                        %s
                        run("slow", "sh -c 'echo run >> slow.count; touch slow.started; [ -f resume.ok ] || sleep 60'")
                        %s
                    }
                }
                """.formatted(counted("first"), counted("last")));
        Runner p = Runner.start(dir, Map.of(), "release.kts", "--version", "2.0.0");
        Runner.waitFor(dir.resolve("slow.started"), 120);
        p.process.destroyForcibly();
        p.process.waitFor(10, TimeUnit.SECONDS);
        assertEquals("RUNNING", journal("2.0.0").at("/steps/a~1slow/status").asText());

        Files.writeString(dir.resolve("resume.ok"), "");
        var r = Runner.run(dir, "release.kts", "--version", "2.0.0");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(1, lines(dir.resolve("first.count")), "a finished step must not run again");
        assertEquals(2, lines(dir.resolve("slow.count")), "the step left running runs again");
        assertEquals(1, lines(dir.resolve("last.count")));
        assertTrue(r.out().contains("done a/first"), r::toString);
    }

    @Test
    void gitLockFilesLeftByAKilledRunAreRemovedWhenItResumes(@TempDir Path remotes) throws Exception {
        // The remote is a bare repository on this machine, which a push of JGit's writes in-process.
        Path origin = remotes.resolve("origin.git");
        org.eclipse.jgit.api.Git.init().setBare(true).setDirectory(origin.toFile()).call().close();
        try (var git = org.eclipse.jgit.api.Git.init().setDirectory(dir.toFile()).call()) {
            git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(dir.relativize(origin).toString())).call();
        }
        script("""
                pipeline("release") {
                    job("a") { run("commit", "sh -c 'echo run >> commit.count; touch commit.started; [ -f resume.ok ] || sleep 60'") }
                }
                """);
        Runner p = Runner.start(dir, Map.of(), "release.kts", "--version", "2.0.0");
        Runner.waitFor(dir.resolve("commit.started"), 120);
        // what JGit leaves when it is killed between creating a ref's lock and renaming it
        Path headLock = Files.writeString(dir.resolve(".git/HEAD.lock"), "ref: refs/heads/main\n");
        Path refLock = Files.writeString(Files.createDirectories(dir.resolve(".git/refs/heads")).resolve("main.lock"), "0".repeat(40));
        Path remoteLock = Files.writeString(Files.createDirectories(origin.resolve("refs/tags")).resolve("v2.0.0.lock"), "0".repeat(40));
        p.process.destroyForcibly();
        p.process.waitFor(10, TimeUnit.SECONDS);

        Files.writeString(dir.resolve("resume.ok"), "");
        var r = Runner.run(dir, "release.kts", "--version", "2.0.0");
        assertEquals(0, r.exit(), r::toString);
        assertFalse(Files.exists(headLock), "HEAD.lock is still there");
        assertFalse(Files.exists(refLock), "main.lock is still there");
        assertFalse(Files.exists(remoteLock), "the remote's v2.0.0.lock is still there");
        assertTrue(r.out().contains("removed " + headLock + ": the interrupted run"), r::toString);
        assertEquals(2, lines(dir.resolve("commit.count")));
    }

    @Test
    void aGitLockFileOlderThanTheReleaseStopsItBeforeAnythingRuns() throws Exception {
        org.eclipse.jgit.api.Git.init().setDirectory(dir.toFile()).call().close();
        script("""
                pipeline("release") {
                    job("a") { %s }
                }
                """.formatted(counted("step")));
        Path lock = Files.writeString(dir.resolve(".git/index.lock"), "");
        Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
        var r = Runner.run(dir, "release.kts", "--version", "2.0.0");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("git's lock file " + lock + " is in the way") || r.out().contains("git's lock file " + lock + " is in the way"), r::toString);
        assertTrue(Files.exists(lock), "a lock file the release did not leave was removed");
        assertEquals(0, lines(dir.resolve("step.count")));
    }

    @Test
    void aChangedInputFileMakesTheStepStaleAndRerunsItAndEverythingAfter() throws Exception {
        Files.writeString(dir.resolve("VERSION"), "1.0\n");
        script("""
                pipeline("release") {
                    job("a") {
                        %s
                        run("uses-version", "sh -c 'echo run >> uses-version.count'") { files("VERSION") }
                        %s
                    }
                    job("b", needs = "a") { %s }
                }
                """.formatted(counted("independent"), counted("after"), counted("downstream")));
        assertEquals(0, Runner.run(dir, "release.kts", "--version", "1.1").exit());
        Files.writeString(dir.resolve("VERSION"), "1.1\n");
        var r = Runner.run(dir, "release.kts", "--version", "1.1");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(1, lines(dir.resolve("independent.count")));
        assertEquals(2, lines(dir.resolve("uses-version.count")));
        assertEquals(2, lines(dir.resolve("after.count")));
        assertEquals(2, lines(dir.resolve("downstream.count")));
        assertTrue(r.out().contains("stale a/uses-version"), r::toString);
    }

    @Test
    void aSecondRunnerOnTheSameReleaseIsRefused() throws Exception {
        script("""
                pipeline("release") {
                    job("a") { run("hold", "sh -c 'touch held; until [ -f release.ok ]; do sleep 0.1; done'") }
                }
                """);
        Runner first = Runner.start(dir, Map.of(), "release.kts", "--version", "1.0");
        Runner.waitFor(dir.resolve("held"), 120);
        var second = Runner.run(dir, "release.kts", "--version", "1.0");
        Files.writeString(dir.resolve("release.ok"), "");
        assertEquals(2, second.exit(), second::toString);
        assertTrue(second.err().contains("is already working on release 1.0"), second::toString);
        assertEquals(0, first.await().exit());
    }

    @Test
    void scriptErrorsCarryLineAndColumnAndNothingRuns() throws Exception {
        script("""
                pipeline("release") {
                    job("a") {
                        stepp("x")
                    }
                }
                """);
        var r = Runner.run(dir, "release.kts", "--version", "1.0");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("release.kts:3:9"), r::toString);
        assertFalse(Files.exists(dir.resolve(".slipway")));
    }

    @Test
    void aCycleAndAnUnknownNeedAreReportedBeforeAnythingRuns() throws Exception {
        script("""
                pipeline("release") {
                    job("a", needs = "b") { %s }
                    job("b", needs = "a") { %s }
                    job("c", needs = "nope") { %s }
                }
                """.formatted(counted("x"), counted("y"), counted("z")));
        var r = Runner.run(dir, "release.kts", "--version", "1.0");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("cycle: a -> b -> a"), r::toString);
        assertTrue(r.err().contains("release.kts:4: job \"c\" needs \"nope\""), r::toString);
        assertEquals(0, lines(dir.resolve("x.count")));
    }

    @Test
    void anUnknownStepTypeSuggestsTheClosestOne() throws Exception {
        script("""
                pipeline("release") {
                    job("a") { step("lgo") { input("message", "hi") } }
                }
                """);
        var r = Runner.run(dir, "release.kts", "--version", "1.0");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("release.kts:2: unknown step type \"lgo\"; did you mean \"log\"?"), r::toString);
    }

    @Test
    void anUnknownSetKeyIsRefusedNamingTheKnownOnes() throws Exception {
        script("""
                val repo = param("repository", "pypi")
                pipeline("release") { job("a") { log("say", repo) } }
                """);
        var r = Runner.run(dir, "release.kts", "--version", "1.0", "--set", "repo=testpypi");
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("unknown --set key repo"), r::toString);
        assertTrue(r.err().contains("known keys: repository"), r::toString);
    }

    @Test
    void readyJobsRunInParallel() throws Exception {
        String job = "run(\"%1$s\", \"sh -c 'touch %1$s.started; while [ ! -f %2$s.started ]; do sleep 0.05; done; touch %1$s.saw-other'\") { timeout = 60.seconds }";
        script("""
                pipeline("release") {
                    job("left") { %s }
                    job("right") { %s }
                }
                """.formatted(job.formatted("left", "right"), job.formatted("right", "left")));
        var r = Runner.run(dir, "release.kts", "--version", "1.0", "--jobs", "2");
        assertEquals(0, r.exit(), r::toString);
        // Each job waited until the other had started: only possible if both ran at once.
        assertTrue(Files.exists(dir.resolve("left.saw-other")) && Files.exists(dir.resolve("right.saw-other")));
    }

    @Test
    void interruptingTheRunnerStopsTheStepSavesTheJournalAndExits130() throws Exception {
        script("""
                pipeline("release") {
                    job("a") { run("slow", "sh -c 'touch slow.started; sleep 60'"); %s }
                }
                """.formatted(counted("after")));
        Runner p = Runner.start(dir, Map.of(), "release.kts", "--version", "1.0");
        Runner.waitFor(dir.resolve("slow.started"), 120);
        new ProcessBuilder("kill", "-INT", String.valueOf(p.process.pid())).start().waitFor();
        var r = p.await();
        assertEquals(130, r.exit(), r::toString);
        assertTrue(r.out().contains("slipway: stopping: waiting for a/slow to end (at most 30 s)\n"), r::toString);
        assertTrue(r.out().contains("\ninterrupted a/slow ("), r::toString);
        assertFalse(r.out().contains("a/slow failed"), r::toString);
        JsonNode j = journal("1.0");
        assertEquals("INTERRUPTED", j.at("/steps/a~1slow/status").asText());
        assertEquals("cancelled", j.at("/runs/0/outcome").asText());
        assertEquals(0, lines(dir.resolve("after.count")));
    }
}
