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
                            input("tags", "v1.0")
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
            assertTrue(screen.contains("tags: v1.0"), screen);
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
    void rejectingAtThePromptAsksForAReasonAndAConfirmationThenEndsWithExitFour() throws Exception {
        try (Tmux t = start()) {
            t.waitFor(PROMPT);
            t.type("r");
            t.waitFor("reason for rejecting (kept in the journal and the report):");
            t.type("the changelog misses the parser fix");
            t.waitFor("reject it? [y]es, [n]o:");
            t.type("n");
            t.waitUntil(s -> s.contains("not rejected") && s.substring(s.indexOf("not rejected")).contains(PROMPT), "the prompt again");
            t.type("r");
            t.waitUntil(s -> s.split("reason for rejecting", -1).length == 3, "the second reason prompt");
            t.type("the changelog misses the parser fix");
            t.waitUntil(s -> s.split("reject it\\?", -1).length == 3, "the second confirmation");
            t.type("y");
            assertEquals(4, t.exitCode(), t::screen);
            assertFalse(Files.exists(dir.resolve("upload.count")), "the upload ran after the rejection");
            JsonNode facts = journal().at("/steps/publish~1release-manager/facts");
            assertEquals("rejected", facts.at("/decision").asText());
            assertEquals("the changelog misses the parser fix", facts.at("/reason").asText());
            String report = Files.readString(dir.resolve(".slipway/release/1.0/report.md"));
            assertTrue(report.contains("via terminal prompt at ") && report.contains(": the changelog misses the parser fix"), report);
            assertTrue(t.waitFor("summary:").contains("runner abandon release.kts --version 1.0"), t::screen);
        }
    }

    /** Everything the approval shows, at a wide terminal and a small one, line by line. */
    @Test
    void theApprovalScreenFitsAWideAndASmallTerminal() throws Exception {
        Files.writeString(dir.resolve("release.kts"), """
                pipeline("release") {
                    job("prepare") {
                        run("tests", "true")
                    }
                    job("publish", needs = "prepare") {
                        approval("release-manager") {
                            credentials("pypi")
                            input("target-urls", mapOf("pypi" to "https://upload.pypi.org/legacy/"))
                            input("files", listOf("dist/acme-1.1.0.tar.gz", "dist/acme-1.1.0-py3-none-any.whl"))
                            input("sha256", mapOf("dist/acme-1.1.0.tar.gz" to "%s", "dist/acme-1.1.0-py3-none-any.whl" to "%s"))
                            input("sizes", mapOf("dist/acme-1.1.0.tar.gz" to "48213", "dist/acme-1.1.0-py3-none-any.whl" to "20480"))
                            input("tags", "v1.1.0")
                            input("commit", "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432")
                            input("branch", "main")
                            input("checks", listOf("prepare/tests"))
                            input("commits", listOf("a1b2c3d fix the parser", "d4e5f6a add a --quiet flag", "0f1e2d3 docs: usage",
                                "4c5b6a7 ci: python 3.13", "8d9e0f1 tests: parser edge cases"))
                            input("release-notes", "### Fixed\\n- The parser no longer crashes.\\n### Added\\n- --quiet")
                        }
                        run("upload", "true")
                    }
                }
                """.formatted("3f2a9c1d0e4b5a6f7081928374655647382910abcdef0123456789abcdef0123",
                "b7c6d5e4f3a2918070605040302010fedcba9876543210fedcba9876543210ff"));
        String wide = """
                ✔ prepare
                ◆ publish  release-manager

                release 1.1.0, approval release-manager
                files:
                  acme-1.1.0.tar.gz            47.1 KiB  sha256 3f2a9c1d0e4b5a6f7081928374655647382910abcdef0123456789abcdef0123
                  acme-1.1.0-py3-none-any.whl  20.0 KiB  sha256 b7c6d5e4f3a2918070605040302010fedcba9876543210fedcba9876543210ff
                target: pypi  https://upload.pypi.org/legacy/
                  credentials: MISSING, the upload would fail
                tags: v1.1.0 -> 9f8e7d6c5b4a, pushed with branch main
                checks:
                  prepare/tests  succeeded  N.Ns
                commits since the last release (5):
                  a1b2c3d fix the parser
                  d4e5f6a add a --quiet flag
                  0f1e2d3 docs: usage
                  4c5b6a7 ci: python 3.13
                  8d9e0f1 tests: parser edge cases
                release notes:
                  ### Fixed
                  - The parser no longer crashes.
                  ### Added
                  - --quiet
                approve release 1.1.0? [a]pprove, [r]eject, [d]etails:""";
        String small = """
                ✔ prepare
                ◆ publish  release-manager

                release 1.1.0, approval release-manager
                files:
                  acme-1.1.0.tar.gz            47.1 KiB  sha256 3f2a9c1d0e4b
                  acme-1.1.0-py3-none-any.whl  20.0 KiB  sha256 b7c6d5e4f3a2
                target: pypi  https://upload.pypi.org/legacy/
                  credentials: MISSING, the upload would fail
                tags: v1.1.0 -> 9f8e7d6c5b4a, pushed with branch main
                checks:
                  prepare/tests  succeeded  N.Ns
                commits since the last release (5): [d]etails
                release notes: [d]etails
                approve release 1.1.0? [a]pprove, [r]eject, [d]etails:""";
        for (var size : java.util.List.of(new int[] {140, 45}, new int[] {60, 15})) {
            try (Tmux t = Tmux.start(dir, Map.of(), size[0], size[1], "release.kts", "--version", "1.1.0", "--restart")) {
                String screen = t.waitFor("approve release 1.1.0?").replaceAll("\\d+\\.\\ds", "N.Ns");
                String expected = size[0] == 140 ? wide : small;
                assertEquals(expected, screen.substring(Math.max(0, screen.indexOf("✔ prepare"))), screen);
                t.type("d");
                t.waitFor("tags point at 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432");
                t.type("a");
                assertEquals(0, t.exitCode(), t::screen);
            }
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
            // The summary above the first prompt lists the commits too: wait for the details' own heading.
            String details = "commits since the last release:";
            String screen = t.waitUntil(s -> s.contains(details) && s.substring(s.indexOf(details)).contains(PROMPT),
                    "the commits, then the prompt again");
            assertTrue(screen.substring(screen.indexOf(details)).contains("d4e5f6a add a --quiet flag"), screen);
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
