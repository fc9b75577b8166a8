package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference pipeline (the root release.kts) on the monorepo sample, where a release goes wrong
 * or off the main line: what it leaves in the repository is checked in git itself.
 */
@Tag("process")
class ReferencePipelineIT {

    @TempDir
    Path dir;

    /** The monorepo sample at 0.4.0 with the reference pipeline, committed and pushed; no rehearsal. */
    private SampleRepo monorepo() throws Exception {
        return SampleRepo.referencePipeline(dir, "none");
    }

    private static void commitAndPush(SampleRepo repo, String message) throws Exception {
        try (Git git = Git.open(repo.work.toFile())) {
            git.add().addFilepattern(".").call();
            git.commit().setAll(true).setMessage(message).call();
            git.push().setRemote("origin").add("main").call();
        }
    }

    private static ObjectId head(SampleRepo repo) throws Exception {
        try (Git git = Git.open(repo.work.toFile())) {
            return git.getRepository().resolve("HEAD");
        }
    }

    private static void assertClean(SampleRepo repo) throws Exception {
        try (Git git = Git.open(repo.work.toFile())) {
            Status status = git.status().call();
            assertTrue(status.isClean(), "changed: " + status.getUncommittedChanges() + ", untracked: " + status.getUntracked());
        }
    }

    @Test
    void aDependencyCycleStopsThePreflightWithTheTreeUntouched() throws Exception {
        SampleRepo repo = monorepo();
        Path core = repo.work.resolve("packages/acme-core/pyproject.toml");
        Files.writeString(core, Files.readString(core).replace("dependencies = []", "dependencies = [\"acme>=0.4.0\"]"));
        commitAndPush(repo, "acme-core needs acme");
        ObjectId before = head(repo);
        Map<String, String> tree = SampleRepo.tree(repo.work);

        Runner.Result r = repo.release(Runner.CREDENTIALS);

        assertEquals(1, r.exit(), r.summary());
        assertTrue(r.has("the packages depend on each other in a cycle: acme -> acme-core -> acme"), r.summary());
        assertEquals(tree, SampleRepo.tree(repo.work));
        assertEquals(before, head(repo));
        assertClean(repo);
    }

    @Test
    void aFileNamedOutsideAsciiIsNoChangeUnderThePosixLocale() throws Exception {
        SampleRepo repo = monorepo();
        Files.writeString(Files.createDirectories(repo.work.resolve("docs")).resolve("naïve café.md"), "notes\n");
        commitAndPush(repo, "A file whose name is not ASCII");

        // The locale of a container where nobody set LANG: Java would read that name as ASCII.
        Runner.Result r = repo.release(Map.of("LC_ALL", "POSIX"), "--until", "preflight");

        assertEquals(0, r.exit(), r.summary());
        assertTrue(r.has("stopped after preflight (--until)"), r.summary());
        assertClean(repo);
    }

    @Test
    void aFailingTestLeavesNoReleaseCommitAndACleanTreeAndTheNextRunReleases() throws Exception {
        SampleRepo repo = monorepo();
        Files.writeString(repo.work.resolve("tests/test_gate.py"),
                "import os\n\n\ndef test_gate():\n    assert os.environ.get(\"ACME_GATE\") != \"closed\"\n");
        commitAndPush(repo, "A test that can fail");
        ObjectId before = head(repo);
        Map<String, String> env = new java.util.HashMap<>(Runner.CREDENTIALS);
        env.put("ACME_GATE", "closed");

        Runner.Result failed = repo.release(env);

        assertEquals(1, failed.exit(), failed.summary());
        assertTrue(failed.has("prepare/tests"), failed.summary());
        assertEquals(before, head(repo), "no release commit");
        assertClean(repo);
        assertTrue(Files.readString(repo.work.resolve("packages/acme-core/pyproject.toml")).contains("version = \"0.4.0\""));

        // Starting over is allowed: the failed run gave back every file it changed (AbandonIT resumes instead).
        Runner.Result fixed = repo.release(Runner.CREDENTIALS, "--restart");

        assertEquals(0, fixed.exit(), fixed.summary());
        assertClean(repo);
        for (String pkg : List.of("acme-core", "acme-scheduler", "acme")) {
            assertTrue(Files.readString(repo.work.resolve("packages/" + pkg + "/pyproject.toml")).contains("version = \"1.0.0\""), pkg);
        }
        assertTrue(Files.readString(repo.work.resolve("CHANGELOG.md")).contains("## 1.0.0"));
        assertEquals(head(repo), repo.remoteHead());
        assertTrue(repo.remoteTags().contains("v1.0.0"), repo.remoteTags().toString());
        Map<String, String> published = SampleRepo.indexFiles(repo.productionIndex());
        assertEquals(6, published.size(), published.toString());
        assertTrue(published.keySet().stream().allMatch(f -> f.contains("-1.0.0")), published.toString());
    }

    @Test
    void eachPackagesChangelogGetsTheReleaseAndTheApprovalShowsTheNotes() throws Exception {
        SampleRepo repo = monorepo();
        Files.delete(repo.work.resolve("CHANGELOG.md"));
        for (String pkg : List.of("acme-core", "acme-scheduler", "acme")) {
            Files.writeString(repo.work.resolve("packages/" + pkg + "/CHANGELOG.md"),
                    "# " + pkg + "\n\n## Unreleased\n\n### Fixed\n- A fix in " + pkg + ".\n\n## 0.4.0 - 2026-09-01\n\n- First.\n");
        }
        commitAndPush(repo, "One changelog per package");

        Runner.Result r = repo.release(Runner.CREDENTIALS);

        assertEquals(0, r.exit(), r.summary());
        for (String pkg : List.of("acme-core", "acme-scheduler", "acme")) {
            assertTrue(Files.readString(repo.work.resolve("packages/" + pkg + "/CHANGELOG.md"))
                    .contains("## Unreleased\n\n## 1.0.0 - "), pkg);
            assertTrue(r.has("  - A fix in " + pkg + "."), "the notes shown at the approval: " + r.summary());
        }
        assertTrue(r.has("release notes:"), r.summary());
        assertClean(repo);
        assertEquals(head(repo), repo.remoteHead());
    }

    @Test
    void emptyReleaseNotesWarnAndStopTheStrictPreflight() throws Exception {
        SampleRepo repo = monorepo();
        Path changelog = repo.work.resolve("CHANGELOG.md");
        String text = Files.readString(changelog);
        Files.writeString(changelog, text.substring(0, text.indexOf("### Added")) + text.substring(text.indexOf("## 0.4.0")));
        commitAndPush(repo, "Nothing under Unreleased");
        ObjectId before = head(repo);
        String warning = "CHANGELOG.md has no entries under \"Unreleased\" (line 5): the 1.0.0 section would be empty";

        Runner.Result strict = repo.release(Runner.CREDENTIALS, "--set", "strict-changelog=true");

        assertEquals(1, strict.exit(), strict.summary());
        assertTrue(strict.has("preflight/changelog failed") && strict.has(warning), strict.summary());
        assertEquals(before, head(repo));
        assertClean(repo);

        Runner.Result lenient = repo.release(Runner.CREDENTIALS, "--restart");

        assertEquals(0, lenient.exit(), lenient.summary());
        assertTrue(lenient.lines().stream().anyMatch(l -> l.contains("warning") && l.contains("preflight/changelog") && l.contains(warning)),
                lenient.summary());
        assertTrue(lenient.has("release notes:") && lenient.has("  (none)"), lenient.summary());
    }

    @Test
    void aMaintenanceBranchReleasesAnOlderVersionWithItsOwnTagAndChangelog() throws Exception {
        SampleRepo repo = monorepo();
        try (Git git = Git.open(repo.work.toFile())) {
            git.branchCreate().setName("maint-0.4").call();
            git.push().setRemote("origin").add("maint-0.4").call();
        }
        assertEquals(0, repo.release(Runner.CREDENTIALS).exit(), "1.0.0 from main");
        List<String> older = new ArrayList<>(List.of("release.kts", "--version", "0.9.0", "--set", "repository=local",
                "--set", "rehearsal-repository=none", "--non-interactive", "--python", Runner.PYTHON));
        Runner.Result refused = Runner.run(repo.work, Runner.CREDENTIALS, older);
        assertEquals(1, refused.exit(), refused.summary());
        assertTrue(refused.has("acme-core 0.9.0 is older than 1.0.0, the newest release on"), "main is no maintenance branch: "
                + refused.summary());
        try (Git git = Git.open(repo.work.toFile())) {
            git.checkout().setName("maint-0.4").call();
            git.getRepository().getConfig().setString("branch", "maint-0.4", "remote", "origin");
            git.getRepository().getConfig().setString("branch", "maint-0.4", "merge", "refs/heads/maint-0.4");
            git.getRepository().getConfig().save();
        }
        Path changelog = repo.work.resolve("CHANGELOG.md");
        Files.writeString(changelog, Files.readString(changelog).replace("## Unreleased\n\n### Added\n- `acme validate` lists the steps"
                + " and connectors of a flow.\n\n", "## Unreleased\n\n"));
        try (Git git = Git.open(repo.work.toFile())) {
            git.commit().setAll(true).setMessage("0.4.1 only fixes").call();
            git.push().setRemote("origin").add("maint-0.4").call();
        }

        List<String> args = new ArrayList<>(List.of("release.kts", "--version", "0.4.1", "--set", "repository=local",
                "--set", "rehearsal-repository=none", "--set", "build-args=--no-isolation", "--set", "branch=maint-0.4",
                "--non-interactive", "--python", Runner.PYTHON));
        Runner.Result r = Runner.run(repo.work, Runner.CREDENTIALS, args);

        assertEquals(0, r.exit(), r.summary());
        assertTrue(repo.remoteTags().containsAll(List.of("v0.4.0", "v0.4.1", "v1.0.0")), repo.remoteTags().toString());
        assertTrue(SampleRepo.indexFiles(repo.productionIndex()).keySet().containsAll(
                List.of("acme_core-0.4.1-py3-none-any.whl", "acme_core-1.0.0-py3-none-any.whl")), SampleRepo.indexFiles(repo.productionIndex()).toString());
        String text = Files.readString(changelog);
        assertTrue(text.contains("## Unreleased\n\n## 0.4.1 - ") && !text.contains("## 1.0.0") && text.contains("- The scheduler no longer"), text);
        try (Git git = Git.open(repo.work.toFile())) {
            assertEquals(git.getRepository().resolve("HEAD"), git.getRepository().resolve("refs/tags/v0.4.1^{commit}"));
            try (Git origin = Git.open(repo.remote.toFile())) {
                assertEquals(git.getRepository().resolve("HEAD"), origin.getRepository().resolve("refs/heads/maint-0.4"));
            }
        }
        // the last release of the branch is its own newest tag (v0.4.0), not 1.0.0 of main
        com.fasterxml.jackson.databind.JsonNode hygiene = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(repo.work.resolve(".slipway/release/0.4.1/journal.json").toFile())
                .path("steps").path("preflight/git-hygiene").path("outputs");
        assertEquals("v0.4.0", hygiene.path("last-tag").asText(), hygiene.toString());
        assertTrue(hygiene.path("commits-since-tag").toString().contains("0.4.1 only fixes")
                && !hygiene.path("commits-since-tag").toString().contains("release: 1.0.0"), hygiene.toString());
        assertClean(repo);
    }
}
