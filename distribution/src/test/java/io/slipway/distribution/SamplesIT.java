package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed samples as a user runs them: the single-package sample with its own release.kts in the
 * scheduler's headless mode, and the root (reference) release.kts copied into each sample.
 */
@Tag("process")
class SamplesIT {

    /** The source tree's samples and reference pipeline (failsafe runs in the distribution module). */
    private static final Path SOURCE = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private static List<String> args(String version, String... extra) {
        List<String> args = new ArrayList<>(List.of("release.kts", "--version", version,
                "--set", "repository=local", "--non-interactive", "--python", Runner.PYTHON));
        args.addAll(List.of(extra));
        return args;
    }

    private static String headFile(SampleRepo repo, String file) throws Exception {
        try (Git git = Git.open(repo.work.toFile())) {
            assertEquals(repo.remoteHead(), git.getRepository().resolve("HEAD"), "the release commits are pushed");
        }
        return Files.readString(repo.work.resolve(file));
    }

    @Test
    void theSinglePackageSampleReleasesHeadlessWithItsOwnScript() throws Exception {
        SampleRepo repo = SampleRepo.create(dir, SOURCE.resolve("samples/single-package"), "v2.4.0");
        Runner.Result r = Runner.run(repo.work, Runner.CREDENTIALS,
                args("2.5.0", "--set", "rehearsal-repository=local", "--set", "headless=true"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.lines().stream().anyMatch(l -> l.contains("migrations-squashed") && l.startsWith("ok ")), r.toString());
        assertTrue(repo.remoteTags().contains("v2.5.0"), repo.remoteTags().toString());
        assertEquals("2.5.0\n", headFile(repo, "VERSION"));
        String records = headFile(repo, "fixtures/releases.json");
        assertTrue(records.contains("\"version\": \"2.5.0\"") && records.contains("shipyard-2.5.0-py3-none-any.whl"), records);
        assertEquals(List.of("shipyard-2.5.0-py3-none-any.whl", "shipyard-2.5.0.tar.gz"),
                List.copyOf(SampleRepo.indexFiles(repo.productionIndex()).keySet()));
    }

    /** The monorepo sample with the reference pipeline is released by {@link ReferencePipelineIT} and {@link KillSweepIT}. */
    @Test
    void theReferencePipelineReleasesTheSinglePackageSample() throws Exception {
        SampleRepo repo = SampleRepo.create(dir, SOURCE.resolve("samples/single-package"), "v2.4.0");
        Files.copy(SOURCE.resolve("release.kts"), repo.work.resolve("release.kts"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (Git git = Git.open(repo.work.toFile())) {
            git.commit().setAll(true).setMessage("Use the reference pipeline").call();
            git.push().setRemote("origin").add("main").call();
        }
        Runner.Result r = Runner.run(repo.work, Runner.CREDENTIALS,
                args("3.1.0", "--set", "rehearsal-repository=none", "--set", "build-args=--no-isolation"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(repo.remoteTags().contains("v3.1.0"), repo.remoteTags().toString());
        assertTrue(SampleRepo.indexFiles(repo.productionIndex()).keySet().stream().allMatch(f -> f.contains("3.1.0")),
                SampleRepo.indexFiles(repo.productionIndex()).toString());
        assertTrue(headFile(repo, "CHANGELOG.md").contains("## 3.1.0"));
    }
}
