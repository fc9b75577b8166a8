package io.slipway.runner.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The approval prompt at a real pseudo-terminal (tmux): approve, reject, and details first. */
@Tag("process")
class InteractiveApprovalTest {

    private static final String PROMPT = "approve release 1.0? [a]pprove, [r]eject, [d]etails:";

    @TempDir
    Path dir;

    @BeforeEach
    void script() throws Exception {
        Files.writeString(dir.resolve("release.kts"), """
                pipeline("release") {
                    job("prepare") {
                        run("build", "sh -c 'echo built >> build.count'")
                    }
                    job("publish", needs = "prepare") {
                        approval("release-manager") {
                            credentials("pypi")
                            input("tag", "v1.0")
                            input("commits", listOf("a1b2c3d fix the parser", "d4e5f6a add a --quiet flag"))
                        }
                        run("upload", "sh -c 'echo up >> upload.count'")
                    }
                }
                """);
    }

    private Tmux start() throws Exception {
        return Tmux.start(dir, Map.of(), "release.kts", "--version", "1.0");
    }

    @Test
    void approvingAtThePromptRunsTheStepsAfterIt() throws Exception {
        try (Tmux t = start()) {
            String screen = t.waitFor(PROMPT);
            assertTrue(screen.contains("tag: v1.0"), screen);
            assertFalse(screen.contains("┣━"), "the live view should be paused while the prompt is shown:\n" + screen);
            t.type("a");
            assertEquals(0, t.exitCode(), t::screen);
            assertTrue(t.waitFor("summary:").contains("┗━ ✔ upload"), "the live view should go on after the prompt");
            assertEquals(1, Files.readAllLines(dir.resolve("upload.count")).size());
            assertEquals("terminal prompt", journal().at("/steps/publish~1release-manager/facts/how").asText());
        }
    }

    @Test
    void underGithubActionsATerminalGetsNoPromptWithoutNonInteractive() throws Exception {
        Path summary = dir.resolve("summary.md");
        try (Tmux t = Tmux.start(dir, Map.of("CI", "true", "GITHUB_ACTIONS", "true", "GITHUB_STEP_SUMMARY", summary.toString()),
                "release.kts", "--version", "1.0")) {
            assertEquals(3, t.exitCode(), t::screen);
            assertFalse(t.transcript().contains("[a]pprove"), t::screen);
            assertFalse(Files.exists(dir.resolve("upload.count")));
            assertTrue(Files.readString(summary).contains("runner release.kts --version 1.0 --approve release-manager"),
                    Files.readString(summary));
        }
    }

    @Test
    void rejectingAtThePromptEndsWithExitFourAndNothingAfterRuns() throws Exception {
        try (Tmux t = start()) {
            t.waitFor(PROMPT);
            t.type("r");
            assertEquals(4, t.exitCode(), t::screen);
            assertFalse(Files.exists(dir.resolve("upload.count")), "the upload ran after the rejection");
            assertEquals("rejected", journal().at("/steps/publish~1release-manager/facts/decision").asText());
        }
    }

    @Test
    void ctrlCAtThePromptCancelsTheRunAndTheNextRunAsksAgain() throws Exception {
        try (Tmux t = start()) {
            t.waitFor(PROMPT);
            t.interrupt();
            assertEquals(130, t.exitCode(), t::screen);
            assertFalse(Files.exists(dir.resolve("upload.count")), "the upload ran after Ctrl-C");
            JsonNode step = journal().at("/steps/publish~1release-manager");
            assertEquals("INTERRUPTED", step.at("/status").asText());
            assertTrue(step.at("/facts/decision").isMissingNode(), "Ctrl-C decided something: " + step);
        }
        try (Tmux t = start()) {
            t.waitFor(PROMPT);
            t.type("a");
            assertEquals(0, t.exitCode(), t::screen);
            assertEquals(1, Files.readAllLines(dir.resolve("upload.count")).size());
        }
    }

    @Test
    void askingForDetailsShowsTheCommitsAndAsksAgain() throws Exception {
        try (Tmux t = start()) {
            t.waitFor(PROMPT);
            t.type("d");
            String screen = t.waitUntil(s -> s.contains("d4e5f6a add a --quiet flag")
                    && s.substring(s.indexOf("d4e5f6a add a --quiet flag")).contains(PROMPT), "the commits, then the prompt again");
            assertTrue(screen.contains("commits since the last release:"), screen);
            assertEquals(2, screen.split(java.util.regex.Pattern.quote(PROMPT), -1).length - 1,
                    "the prompt is shown twice, not more:\n" + screen);
            assertFalse(Files.exists(dir.resolve("runner.exit")), "the runner ended without an answer");
            t.type("a");
            assertEquals(0, t.exitCode(), t::screen);
        }
    }

    private JsonNode journal() throws Exception {
        return new ObjectMapper().readTree(dir.resolve(".slipway/release/1.0/journal.json").toFile());
    }
}
