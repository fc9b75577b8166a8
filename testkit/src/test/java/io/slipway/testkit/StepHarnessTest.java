package io.slipway.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    /** POSTs to a webhook with the JDK's HttpClient, whose send() ends when its thread is interrupted. */
    static final class Webhook implements StepType {
        public String id() {
            return "webhook";
        }

        public String description() {
            return "posts to a webhook";
        }

        public List<InputSpec> inputs() {
            return List.of(InputSpec.required("url", InputType.STRING, "where to post"));
        }

        public StepResult run(StepContext ctx) throws Exception {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ctx.string("url")))
                    .POST(HttpRequest.BodyPublishers.ofString("released " + ctx.version())).build(), HttpResponse.BodyHandlers.ofString());
            ctx.journal().put("posted", String.valueOf(r.statusCode()));
            return StepResult.success("posted: " + r.statusCode());
        }
    }

    @Test
    void aStepBlockedOnAServerThatNeverAnswersEndsInterruptedAndTheNextRunPostsAgain() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // Accepts the connection and reads the request, but never answers.
            Thread accepting = new Thread(() -> {
                try (Socket client = silent.accept()) {
                    client.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the server socket closed at the end of the test
                }
            });
            accepting.setDaemon(true);
            accepting.start();
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/hook";
            try (StepHarness h = StepHarness.of(new Webhook()).stateDir(dir.resolve("state")).input("url", url)
                    .interruptAfter(Duration.ofMillis(300))) {
                StepHarness.Run run = h.run();
                assertTrue(run.interrupted(), run::toString);
                assertEquals(StepResult.Status.FAILED, run.result().status());
                assertEquals("the run was interrupted", run.result().message(), "the step's code stopped when told to");
                assertEquals(Map.of(), run.facts());
                assertFalse(h.stillDone(), "an interrupted step runs again on resume");
            }
        }
    }
}
