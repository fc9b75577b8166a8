package io.slipway.runner.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the release log hands the console view, and what it keeps in the file. */
class RunLogTest {

    @TempDir
    Path dir;

    /** Records the events as "kind step: text". */
    private static final class Recording implements RunView {
        final List<String> events = new ArrayList<>();

        public void line(RunLog.Level level, String text) {
            events.add("line " + level + ": " + text);
        }

        public void stepStarted(String step, String text) {
            events.add("started " + step + ": " + text);
        }

        public void stepOutput(String step, String output, String text) {
            events.add("output " + step + ": " + output);
        }

        public void stepFinished(String step, Outcome outcome, String text, String summary) {
            events.add("finished " + step + " " + outcome + ": " + text);
        }
    }

    @Test
    void aStepsOutputReachesTheViewAsItsOutputMaskedAndEveryLineReachesTheFile() throws Exception {
        Recording view = new Recording();
        Masker masker = new Masker();
        masker.add("hunter2-secret");
        Path file = dir.resolve("release-1.0.log");
        try (RunLog log = new RunLog(view, file, masker, false, false)) {
            log.info("slipway: starting");
            log.stepStarted("prepare/build", "> prepare/build");
            log.stepOutput("prepare/build", RunLog.Level.INFO, "compiling with hunter2-secret");
            log.warn("prepare/build: slow disk");
            log.stepFinished("prepare/build", RunView.Outcome.FAILED, "prepare/build failed (0.1 s): exit 3", null);
            log.info("  prepare/build | a line after the step ended");
        }
        assertEquals(List.of(
                "line INFO: slipway: starting",
                "started prepare/build: > prepare/build",
                "output prepare/build: compiling with ***",
                "line WARN: warning: prepare/build: slow disk",
                "finished prepare/build FAILED: error: prepare/build failed (0.1 s): exit 3",
                "line INFO:   prepare/build | a line after the step ended"), view.events);
        List<String> lines = Files.readAllLines(file);
        assertEquals(6, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(2).endsWith(" INFO   prepare/build | compiling with ***"), lines.get(2));
        assertTrue(lines.get(4).endsWith(" ERROR prepare/build failed (0.1 s): exit 3"), lines.get(4));
    }
}
