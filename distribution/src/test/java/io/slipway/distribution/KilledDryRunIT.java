package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dry run killed with SIGKILL after it changed files cannot put them back itself; the real run
 * that follows says so, puts them back, and releases: the monorepo sample with the reference
 * pipeline, without a rehearsal.
 */
@Tag("process")
class KilledDryRunIT {

    @TempDir
    Path dir;

    @Test
    void theRealRunAfterAKilledDryRunPutsBackWhatItChangedAndReleases() throws Exception {
        SampleRepo repo = SampleRepo.referencePipeline(dir, "none");
        Map<String, String> before = SampleRepo.tree(repo.work);
        Runner dry = repo.start(Runner.CREDENTIALS, "--dry-run");
        assertTrue(dry.awaitLine(l -> l.startsWith("ok prepare/changelog")), "the dry run never changed the changelog");
        assertEquals(137, dry.crash().exit(), "killed by SIGKILL");
        assertNotEquals(before, SampleRepo.tree(repo.work), "the killed dry run should have left its changes");

        Runner.Result real = repo.release(Runner.CREDENTIALS);
        assertEquals(0, real.exit(), real.summary());
        assertTrue(real.has("a dry run of release " + SampleRepo.VERSION + " was killed before it could put back the files it changed"),
                real.summary());
        assertTrue(repo.remoteTags().contains("v" + SampleRepo.VERSION), repo.remoteTags()::toString);
    }
}
