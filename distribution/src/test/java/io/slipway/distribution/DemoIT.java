package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runner demo}: the README's first command releases the monorepo sample for real. */
@Tag("process")
class DemoIT {

    @TempDir
    static Path dir;
    static Runner.Result demo;
    static SampleRepo repo;

    @BeforeAll
    static void runTheDemo() throws Exception {
        demo = Runner.run(dir, Map.of(), List.of("demo", "--dir", dir.toString(), "--python", Runner.PYTHON));
        repo = new SampleRepo(dir.resolve("acme"), dir.resolve("origin.git"));
    }

    @Test
    void theDemoReleasesWithExit0() {
        assertEquals(0, demo.exit(), demo.summary());
        assertTrue(demo.has("demo: exit 0 (released)"), demo.summary());
    }

    @Test
    void theReleaseTagAndThePerPackageTagsAreOnTheRemote() throws Exception {
        assertEquals(List.of("acme-core-v1.0.0", "acme-scheduler-v1.0.0", "acme-v1.0.0", "v0.4.0", "v1.0.0"), repo.remoteTags());
    }

    @Test
    void theRemoteMainHasTheVersionBumpAndTheChangelogCommits() throws Exception {
        try (Git origin = Git.open(repo.remote.toFile()); RevWalk walk = new RevWalk(origin.getRepository())) {
            Repository r = origin.getRepository();
            RevCommit head = walk.parseCommit(r.resolve("refs/heads/main"));
            RevCommit bump = walk.parseCommit(head.getParent(0));
            assertEquals("docs: changelog for 1.0.0", head.getShortMessage());
            assertEquals("release: bump versions to 1.0.0", bump.getShortMessage());
            assertEquals(r.resolve("refs/tags/v1.0.0^{commit}"), head.getId(), "v1.0.0 tags the released commit");
            for (String pkg : List.of("acme-core", "acme-scheduler", "acme")) {
                assertTrue(file(r, head, "packages/" + pkg + "/pyproject.toml").contains("version = \"1.0.0\""), pkg);
            }
            String meta = file(r, head, "packages/acme/pyproject.toml");
            assertTrue(meta.contains("\"acme-core>=1.0.0\"") && meta.contains("\"acme-scheduler>=1.0.0\""), meta);
            assertTrue(file(r, head, "packages/acme-scheduler/pyproject.toml").contains("\"acme-core>=1.0.0\""));
            assertTrue(file(r, head, "CHANGELOG.md").contains("\n## 1.0.0 - "), file(r, head, "CHANGELOG.md"));
        }
    }

    @Test
    void theProductionIndexHoldsTheSixBuiltFilesWithTheirBuildHashes() throws Exception {
        Map<String, String> built = repo.builtSha256();
        assertEquals(6, built.size(), built.toString());
        assertEquals(built, SampleRepo.indexFiles(repo.productionIndex()));
    }

    @Test
    void thePublishedPackagesInstallAndRunInACleanVenv() throws Exception {
        Path venv = dir.resolve("venv");
        // Without seeding pip into the venv (~9 s here): the interpreter's pip installs into it.
        python(List.of(Runner.PYTHON, "-m", "venv", "--without-pip", venv.toString()));
        List<String> install = new ArrayList<>(List.of(Runner.PYTHON, "-m", "pip", "--python", venv.resolve("bin/python").toString(),
                "install", "--no-cache-dir", "--no-index"));
        for (String project : List.of("acme-core", "acme-scheduler", "acme")) {
            install.addAll(List.of("--find-links", repo.productionIndex().resolve(project).toString()));
        }
        install.add("acme==1.0.0");
        python(install);
        String versions = python(List.of(venv.resolve("bin/python").toString(), "-c",
                "import acme, acme_core, acme_scheduler; print(acme.__version__, acme_core.__version__, acme_scheduler.__version__)"));
        assertTrue(versions.contains("1.0.0 1.0.0 1.0.0"), versions);
        String validated = python(List.of(venv.resolve("bin/acme").toString(), "validate", repo.work.resolve("demo/flow.yaml").toString()));
        assertTrue(validated.contains("ok:"), validated);
    }

    private static String file(Repository r, RevCommit commit, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(r, path, commit.getTree())) {
            return new String(r.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs a Python tool isolated from this machine's pip settings (PIP_FIND_LINKS would mask a missing file). */
    private static String python(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("PIP_") || k.startsWith("PYTHON"));
        pb.environment().put("PIP_CONFIG_FILE", "/dev/null");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "timed out: " + command);
        assertEquals(0, p.exitValue(), command + "\n" + out);
        return out;
    }
}
