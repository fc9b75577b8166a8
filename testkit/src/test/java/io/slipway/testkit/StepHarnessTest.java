package io.slipway.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.spi.InputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crash in the middle of a side effect, and the resume, as a plugin author tests them. */
class StepHarnessTest {

    @TempDir
    Path dir;

    /** Posts a note (appends a line to a file) once per release, journaling before and after, as the guide says. */
    static final class Post implements StepType {
        public String id() {
            return "post";
        }

        public String description() {
            return "appends a note once";
        }

        public List<InputSpec> inputs() {
            return List.of();
        }

        public StepResult run(StepContext ctx) throws IOException {
            Path notes = ctx.workspace().resolve("notes.txt");
            if (ctx.journal().get("posted").filter("started"::equals).isPresent() && Files.exists(notes)) {
                return StepResult.success("already posted before the crash");
            }
            ctx.journal().put("posted", "started");
            Files.writeString(notes, "note\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ctx.journal().put("url", "file://" + notes);
            return StepResult.success("posted");
        }
    }

    @Test
    void aCrashRightAfterAFactStopsTheStepThereAndTheResumeFindsTheFact() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path state = dir.resolve("state");
        try (StepHarness first = StepHarness.of(new Post()).workspace(work).stateDir(state).crashAfter("posted")) {
            StepHarness.Run run = first.run();
            assertTrue(run.crashed());
            assertEquals(Map.of("posted", "started"), run.facts());
            assertFalse(Files.exists(work.resolve("notes.txt")), "nothing after the fact ran");
            first.crash();
        }
        try (StepHarness second = StepHarness.of(new Post()).workspace(work).stateDir(state)) {
            StepHarness.Run resumed = second.resume();
            assertFalse(resumed.crashed());
            assertFalse(resumed.doneEarlier(), "a step that did not succeed runs again");
            assertEquals(StepResult.Status.SUCCEEDED, resumed.result().status());
            assertEquals("note\n", Files.readString(work.resolve("notes.txt")));
            StepHarness.Run again = second.resume();
            assertTrue(again.doneEarlier(), "a step that succeeded is skipped, as the runner skips it");
            assertEquals("note\n", Files.readString(work.resolve("notes.txt")));
        }
    }

    @Test
    void aSeededFactIsWhatTheStepFindsFromAnEarlierAttempt() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("notes.txt"), "note\n");
        try (StepHarness h = StepHarness.of(new Post()).workspace(work).stateDir(dir.resolve("state")).fact("posted", "started")) {
            StepHarness.Run run = h.run();
            assertEquals("already posted before the crash", run.result().message());
            assertEquals("note\n", Files.readString(work.resolve("notes.txt")), "not posted twice");
        }
    }
}
