package io.slipway.runner.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live view at a real pseudo-terminal (tmux). The test step prints two lines, then waits until
 * the test creates {@code go} (so the screen can be read while it runs) or fails once {@code fail} exists.
 */
@Tag("process")
class LiveViewTest {

    private static final String SECRET = "s3cr3t-token-value";
    /** An SGR sequence that sets a foreground color. */
    private static final Pattern COLOR = Pattern.compile("\u001b\\[[0-9;]*3[0-7]m");

    @TempDir
    Path dir;

    @BeforeEach
    void script() throws Exception {
        Files.writeString(dir.resolve("release.kts"), """
                pipeline("release") {
                    job("prepare") {
                        run("build", "sh -c 'echo built'")
                        run("test", "sh -c 'echo collecting; echo testing with \\$UPLOAD_TOKEN; while [ ! -e go ]; do if [ -e fail ]; then echo broken thing; exit 3; fi; sleep 0.1; done'")
                    }
                    job("publish", needs = "prepare") {
                        run("upload", "sh -c 'echo uploaded'")
                    }
                }
                """);
    }

    private Tmux start(String... env) throws Exception {
        Map<String, String> vars = new java.util.HashMap<>(Map.of("UPLOAD_TOKEN", SECRET));
        for (int i = 0; i < env.length; i += 2) {
            vars.put(env[i], env[i + 1]);
        }
        return Tmux.start(dir, vars, "release.kts", "--version", "1.0");
    }

    @Test
    void showsJobsAndStepsAsATreeWithTheRunningStepsLatestLine() throws Exception {
        try (Tmux t = start()) {
            String screen = t.waitFor("testing with ***");
            assertTrue(screen.contains("┣━ ✔ build"), screen);
            assertTrue(Pattern.compile("┗━ [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] test +\\d+\\.\\ds").matcher(screen).find(), screen);
            assertTrue(screen.contains("○ publish"), screen);
            assertFalse(screen.contains("> prepare/build"), "the plain lines should not be shown:\n" + screen);
            Files.createFile(dir.resolve("go"));
            assertEquals(0, t.exitCode(), t::screen);
            assertTrue(COLOR.matcher(t.transcript()).find(), "the view should use colors");
        }
    }

    @Test
    void endsWithTheFinishedTreeAndASummary() throws Exception {
        Files.createFile(dir.resolve("go"));
        try (Tmux t = start()) {
            assertEquals(0, t.exitCode(), t::screen);
            String screen = t.waitFor("summary:");
            assertTrue(screen.contains("✔ publish"), screen);
            assertTrue(screen.contains("┗━ ✔ upload"), screen);
            assertTrue(screen.contains("✔ summary: 3 ok in "), screen);
        }
    }

    @Test
    void aFailedStepShowsItsErrorAndItsLastLines() throws Exception {
        Files.createFile(dir.resolve("fail"));
        try (Tmux t = start()) {
            assertEquals(1, t.exitCode(), t::screen);
            String screen = t.waitFor("summary:");
            assertTrue(screen.contains("error: prepare/test failed"), screen);
            assertTrue(screen.contains("  prepare/test | broken thing"), screen);
            assertTrue(screen.contains("┗━ ✘ test"), screen);
            assertTrue(screen.contains("summary: 1 ok, 1 failed, 1 not run"), screen);
        }
    }

    @Test
    void ctrlCEndsWithTheTreeASummaryAndTheReport() throws Exception {
        try (Tmux t = start()) {
            t.waitFor("testing with ***");
            t.interrupt();
            assertEquals(130, t.exitCode(), t::screen);
            String screen = t.waitFor("summary:");
            assertTrue(screen.contains("summary: 1 ok, 1 interrupted, 1 not run"), screen);
            assertTrue(Files.isRegularFile(dir.resolve(".slipway/release/1.0/report.md")), screen);
        }
    }

    @Test
    void aTerminalWhoseEncodingCannotShowTheTreeGetsAsciiSymbols() throws Exception {
        Files.createFile(dir.resolve("go"));
        try (Tmux t = start("LANG", "C", "LC_ALL", "C")) {
            assertEquals(0, t.exitCode(), t::screen);
            String screen = t.waitFor("summary:");
            assertTrue(screen.contains("|- + build"), screen);
            assertTrue(screen.contains("`- + upload"), screen);
            assertTrue(screen.contains("+ summary: 3 ok in "), screen);
            assertFalse(screen.contains("✔") || screen.contains("┗"), screen);
        }
    }

    @Test
    void finishedJobsFoldToOneLineWhenTheTreeIsTallerThanTheTerminal() throws Exception {
        StringBuilder script = new StringBuilder("pipeline(\"release\") {\n");
        for (int j = 1; j <= 8; j++) {
            script.append("    job(\"j").append(j).append('"').append(j > 1 ? ", needs = \"j" + (j - 1) + '"' : "").append(") {");
            for (int s = 1; s <= 3; s++) {
                String command = j == 8 && s == 3 ? "sh -c 'echo waiting; while [ ! -e go ]; do sleep 0.1; done'" : "true";
                script.append(" run(\"s").append(s).append("\", \"").append(command).append("\");");
            }
            script.append(" }\n");
        }
        Files.writeString(dir.resolve("release.kts"), script.append("}\n"));
        try (Tmux t = Tmux.start(dir, Map.of(), 16, "release.kts", "--version", "1.0")) {
            // 8 jobs and 24 steps do not fit 15 rows: the finished jobs fold, oldest first, until the rest fits
            String screen = t.waitUntil(s -> s.contains("waiting") && s.contains(" j8"), "the running last job");
            assertTrue(screen.contains("\n✔ j1\n✔ j2\n✔ j3\n✔ j4\n✔ j5\n✔ j6\n✔ j7\n  ┣━ ✔ s1"), screen);
            assertTrue(screen.contains(" j8\n  ┣━ ✔ s1"), screen);
            assertEquals(6, screen.split("━ ", -1).length - 1, "only j7 and j8 show their steps:\n" + screen);
            Files.createFile(dir.resolve("go"));
            assertEquals(0, t.exitCode(), t::screen);
            assertTrue(t.waitFor("summary:").contains("summary: 24 ok in "), t::screen);
        }
    }

    @Test
    void noColorKeepsTheTreeWithoutColors() throws Exception {
        Files.createFile(dir.resolve("go"));
        try (Tmux t = start("NO_COLOR", "1")) {
            assertEquals(0, t.exitCode(), t::screen);
            t.waitFor("summary:");
            String transcript = t.transcript();
            assertTrue(transcript.contains("┗━ ✔ upload"), transcript);
            assertFalse(COLOR.matcher(transcript).find(), "a color was set despite NO_COLOR");
        }
    }

    @Test
    void aSecretPrintedByASubprocessNeverReachesTheTerminalLogJournalOrReport() throws Exception {
        try (Tmux t = start()) {
            t.waitFor("testing with ***");
            Files.createFile(dir.resolve("go"));
            assertEquals(0, t.exitCode(), t::screen);
            assertFalse(t.transcript().contains(SECRET), "the secret reached the terminal");
            Path state = dir.resolve(".slipway");
            assertTrue(Files.readString(state.resolve("logs/release-1.0.log")).contains("testing with ***"));
            try (Stream<Path> files = Files.walk(state)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(Files.readString(f).contains(SECRET), "the secret reached " + f);
                }
            }
        }
    }

    @Test
    void aResumedRunFoldsTheStepsDoneEarlierIntoOneLinePerJob() throws Exception {
        try (Tmux t = start()) {
            t.waitFor("testing with ***");
            t.interrupt();
            assertEquals(130, t.exitCode(), t::screen);
        }
        Files.createFile(dir.resolve("go"));
        try (Tmux t = start()) {
            assertEquals(0, t.exitCode(), t::screen);
            String screen = t.waitFor("summary:");
            assertTrue(Pattern.compile("┣━ \\S 1 done earlier\n").matcher(screen).find(), screen);
            assertFalse(screen.contains(" build"), "the step done earlier is folded:\n" + screen);
            assertTrue(Pattern.compile("┗━ ✔ test +\\d+\\.\\ds").matcher(screen).find(), screen);
        }
    }

    @Test
    void aSecondCtrlCStopsAStepThatIgnoresTheFirstAtOnceAndTheJournalIsKept() throws Exception {
        Path plugins = dir.resolve("plugins");
        io.slipway.runner.plugin.TestPlugin.of("stubborn").source("test.stubborn.Spin", """
                package test.stubborn;
                import io.slipway.spi.*;
                import java.util.List;
                @org.pf4j.Extension
                public class Spin implements StepType {
                    public String id() { return "stubborn"; }
                    public String description() { return "Ignores interruption for two minutes."; }
                    public List<InputSpec> inputs() { return List.of(); }
                    public StepResult run(StepContext ctx) {
                        ctx.log().info("spinning");
                        long until = System.nanoTime() + 120_000_000_000L;
                        while (System.nanoTime() < until) {
                            try { Thread.sleep(100); } catch (InterruptedException ignored) { }
                        }
                        return StepResult.success();
                    }
                }
                """).writeZip(plugins);
        Files.writeString(dir.resolve("release.kts"), """
                pipeline("release") {
                    job("a") { step("stubborn") }
                }
                """);
        try (Tmux t = Tmux.start(dir, Map.of(), "release.kts", "--version", "1.0", "--plugins-dir", plugins.toString())) {
            t.waitFor("spinning");
            t.interrupt();
            t.waitFor("stopping: waiting for a/stubborn (Ctrl-C again to stop now)");
            t.interrupt();
            assertEquals(130, t.exitCode(), t::screen);
            String screen = t.waitFor("second Ctrl-C");
            assertTrue(screen.contains("slipway: stopped at once (second Ctrl-C); the journal is saved"), screen);
        }
        String journal = Files.readString(dir.resolve(".slipway/release/1.0/journal.json"));
        assertTrue(journal.contains("\"a/stubborn\""), journal);
    }
}
