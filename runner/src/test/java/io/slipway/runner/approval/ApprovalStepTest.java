package io.slipway.runner.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slipway.spi.StepResult;
import io.slipway.testkit.StepHarness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalStepTest {

    private static final String SHA = "3f2a9c1d0e4b5a6f7081928374655647382910abcdef0123456789abcdef0123";

    @TempDir
    Path ws;
    @TempDir
    Path state;

    /** The summary the person at the prompt is shown before answering, laid out at width x rows; approving. */
    private List<String> shown(int width, int rows, UnaryOperator<StepHarness> inputs) {
        List<String> shown = new ArrayList<>();
        Approvals approvals = new Approvals(Set.of(), Set.of(), Optional.empty());
        approvals.usePrompt(Optional.of((title, summary, details) -> {
            shown.addAll(summary.lines(width, rows));
            return Approvals.Prompt.Answer.APPROVED;
        }));
        try (StepHarness h = inputs.apply(StepHarness.of(new ApprovalStep(approvals)).workspace(ws).stateDir(state)
                .version("1.0.0").stepId("publish/release-manager").input("tags", "v1.0.0"))) {
            assertEquals(StepResult.Status.SUCCEEDED, h.run().result().status());
        }
        return shown;
    }

    @Test
    void theReleaseNotesAreShownWithTheSummary() {
        assertEquals(List.of("release 1.0.0 (pipeline test), approval release-manager", "tags: v1.0.0", "release notes:",
                "  ### Fixed", "  - No more crash."), shown(80, 20, h -> h.input("release-notes", "### Fixed\n- No more crash.")));
    }

    @Test
    void emptyReleaseNotesAreShownAsNone() {
        assertEquals(List.of("release 1.0.0 (pipeline test), approval release-manager", "tags: v1.0.0", "release notes:",
                "  (none)"), shown(80, 20, h -> h.input("release-notes", "")));
    }

    @Test
    void hashesAreShortenedToTheWidthAndCommitsCutToTheRows() {
        List<String> lines = shown(60, 9, h -> h.input("files", List.of("dist/acme-1.0.0.tar.gz"))
                .input("sha256", Map.of("dist/acme-1.0.0.tar.gz", SHA)).input("sizes", Map.of("dist/acme-1.0.0.tar.gz", "20480"))
                .input("commit", "a1b2c3d4e5f6a7b8c9d0").input("branch", "main")
                .input("commits", List.of("c1 one", "c2 two", "c3 three", "c4 four", "c5 five")));
        assertEquals(List.of(
                "release 1.0.0 (pipeline test), approval release-manager",
                "files:",
                "  acme-1.0.0.tar.gz  20.0 KiB  sha256 3f2a9c1d0e4b5a6f708192",
                "tags: v1.0.0 -> a1b2c3d4e5f6, pushed with branch main",
                "commits since the last release (5):",
                "  c1 one",
                "  c2 two",
                "  c3 three",
                "  ... 2 more: [d]etails"), lines);
        assertEquals(60, lines.get(2).length());
    }
}
