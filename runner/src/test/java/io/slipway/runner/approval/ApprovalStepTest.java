package io.slipway.runner.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalStepTest {

    @TempDir
    Path ws;
    @TempDir
    Path state;

    /** The summary the person at the prompt is shown before answering, approving. */
    private List<String> shown(String notes) {
        List<String> shown = new ArrayList<>();
        Approvals approvals = new Approvals(Set.of(), Set.of());
        approvals.usePrompt(Optional.of((title, summary, details) -> {
            shown.addAll(summary);
            return Approvals.Prompt.Answer.APPROVED;
        }));
        try (StepHarness h = StepHarness.of(new ApprovalStep(approvals)).workspace(ws).stateDir(state).version("1.0.0")
                .stepId("publish/release-manager").input("tag", "v1.0.0").input("release-notes", notes)) {
            assertEquals(StepResult.Status.SUCCEEDED, h.run().result().status());
        }
        return shown;
    }

    @Test
    void theReleaseNotesAreShownWithTheSummary() {
        assertEquals(List.of("release test 1.0.0", "tag: v1.0.0", "release notes:", "  ### Fixed", "  - No more crash."),
                shown("### Fixed\n- No more crash."));
    }

    @Test
    void emptyReleaseNotesAreShownAsNone() {
        assertEquals(List.of("release test 1.0.0", "tag: v1.0.0", "release notes:", "  (none)"), shown(""));
    }
}
