package io.slipway.plugin.githygiene;

import static io.slipway.plugin.gitsupport.GitFixture.commit;
import static io.slipway.plugin.gitsupport.GitFixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.plugin.gitsupport.GitFixture;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult.Status;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BuiltFromTest {

    @RegisterExtension
    final GitFixture fx = new GitFixture();

    private StepHarness.Run run() {
        try (StepHarness h = StepHarness.of(new BuiltFrom()).workspace(fx.work).stateDir(fx.path("state"))) {
            return h.run();
        }
    }

    @Test
    void theCommitOfACleanTreeIsRecorded() {
        RevCommit release = commit(fx.git, "VERSION", "1.1.0\n", "release: 1.1.0");

        StepHarness.Run run = run();

        assertEquals(Status.SUCCEEDED, run.result().status(), run.result().message());
        assertEquals(release.name(), run.outputs().get("commit"));
    }

    @Test
    void uncommittedChangesTheBuildMayHaveTakenAreRefused() {
        write(fx.git, "README.md", "edited during the build\n");

        StepHarness.Run run = run();

        assertEquals(Status.FAILED, run.result().status());
        assertEquals("the working tree has changes the artifacts may contain but no commit holds: README.md",
                run.result().message());
        assertTrue(run.result().hint().contains("--from build/python-build"), run.result().hint());
    }
}
