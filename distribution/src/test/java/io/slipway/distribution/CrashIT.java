package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the runner (and its subprocesses) once during the build and once during the
 * production upload; the same command then finishes the release without rebuilding what was
 * built and without sending any file twice. The monorepo sample with the reference pipeline,
 * without a rehearsal: the rehearsal's upload and smoke check are not what is killed here.
 */
@Tag("process")
class CrashIT {

    private static final String PACKAGE_BUILT = "build/python-build | [";
    private static final List<String> PACKAGES = List.of("packages/acme-core", "packages/acme-scheduler", "packages/acme");

    @TempDir
    static Path dir;
    static SampleRepo repo;
    /** Packages the journal recorded as built when the first run was killed. */
    static List<String> builtBeforeTheCrash = new ArrayList<>();
    static Runner.Result duringBuild;
    static Runner.Result duringUpload;
    static Runner.Result finish;

    @BeforeAll
    static void crashTwiceThenFinish() throws Exception {
        repo = SampleRepo.referencePipeline(dir, "none");

        Runner first = repo.start(Runner.CREDENTIALS);
        // Killed once one package's build is journaled, so the resume has both kinds to handle.
        assertTrue(first.awaitLine(l -> l.contains(PACKAGE_BUILT) && l.contains("] built ")), "the build never started");
        duringBuild = first.crash();
        JsonNode facts = repo.step("build/python-build").path("facts");
        PACKAGES.stream().filter(p -> facts.has("built:" + p)).forEach(builtBeforeTheCrash::add);

        Runner second = repo.start(Runner.CREDENTIALS);
        // Killed while twine sends the second file of the first package (twine sends the wheel, then the
        // sdist): the index took the wheel, the sdist is in flight.
        assertTrue(second.awaitLine(l -> l.contains("publish/upload | Uploading acme-core-1.0.0.tar.gz")),
                "the production upload never started");
        duringUpload = second.crash();

        finish = repo.release(Runner.CREDENTIALS);
    }

    @Test
    void theRunAfterTheCrashesCompletesTheRelease() throws Exception {
        assertEquals(137, duringBuild.exit(), "killed by SIGKILL");
        assertEquals(0, finish.exit(), finish.summary());
        assertTrue(repo.remoteTags().contains("v1.0.0"), repo.remoteTags().toString());
    }

    @Test
    void packagesBuiltBeforeTheCrashAreNotBuiltAgain() {
        assertFalse(builtBeforeTheCrash.isEmpty(), "the crash came after a package was journaled as built");
        for (String pkg : builtBeforeTheCrash) {
            assertTrue(duringUpload.has("[" + pkg + "] already built"), pkg + "\n" + duringUpload.summary());
            assertEquals(0, duringUpload.count(l -> l.contains("[" + pkg + "] python -m build")), pkg + " was built again");
        }
        assertTrue(finish.has("done build/python-build"), finish.summary());
        assertEquals(0, finish.count(l -> l.contains("python -m build")), "the last run built nothing");
    }

    @Test
    void everyFileIsOnTheProductionIndexExactlyOnceWithItsBuildHash() throws Exception {
        Map<String, String> built = repo.builtSha256();
        assertEquals(6, built.size(), built.toString());
        assertEquals(built, SampleRepo.indexFiles(repo.productionIndex()));
        // counted at the index: every upload it accepted, from its own record
        Map<String, Long> accepted = java.nio.file.Files.readAllLines(repo.productionIndex().resolveSibling("production.uploads")).stream()
                .collect(java.util.stream.Collectors.groupingBy(l -> l.split(" ")[0], java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        Map<String, Long> once = new java.util.TreeMap<>();
        built.keySet().forEach(f -> once.put(f, 1L));
        assertEquals(once, accepted, "uploads the index accepted");
    }

    @Test
    void filesUploadedBeforeTheCrashAreReportedAsSkipped() {
        List<String> skipped = finish.lines().stream().filter(l -> l.contains("publish/upload |") && l.contains("skipped")).toList();
        assertFalse(skipped.isEmpty(), finish.summary());
        long uploadedBefore = duringUpload.count(l -> l.contains("publish/upload | uploaded "));
        assertTrue(skipped.size() >= uploadedBefore, skipped + " vs " + uploadedBefore + " uploaded before the crash");
    }
}
