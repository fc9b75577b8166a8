package io.slipway.plugin.twineupload;

import io.slipway.python.Sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.plugin.localindex.LocalIndex;
import io.slipway.plugin.localindex.RealPython;
import io.slipway.python.IndexClient;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepResult;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("process")
class TwineUploadTest {

    @TempDir
    static Path fixtures;
    static List<Path> core;
    static List<Path> cli;
    static List<Path> otherCore;

    @TempDir
    Path tmp;
    LocalIndex index;

    @BeforeAll
    static void buildFixtures() throws Exception {
        core = RealPython.build(fixtures.resolve("core"), "acme-core", "1.2.0", "a");
        cli = RealPython.build(fixtures.resolve("cli"), "acme-cli", "1.2.0", "a");
        otherCore = RealPython.build(fixtures.resolve("other-core"), "acme-core", "1.2.0", "b");
    }

    @BeforeEach
    void startIndex() {
        index = LocalIndex.start(tmp.resolve("index"));
    }

    @AfterEach
    void stopIndex() {
        index.close();
    }

    private StepHarness harness(String repository, List<Path> files, String state) throws IOException {
        Map<String, String> sha256 = new LinkedHashMap<>();
        for (Path f : files) {
            sha256.put(f.toString(), Sha256.of(f));
        }
        return StepHarness.of(new TwineUpload()).workspace(tmp).stateDir(tmp.resolve(state)).version("1.2.0")
                .env("SLIPWAY_PYTHON", "/usr/bin/python3")
                .input("files", files.stream().map(Path::toString).toList())
                .input("sha256", sha256).input("repository", repository);
    }

    /** The open local index takes any credentials, but twine refuses to upload without some. */
    private StepHarness openHarness(String repository, List<Path> files, String state) throws IOException {
        return harness(repository, files, state).input("username", "tester").input("password", "anything");
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** The files in the order twine sends them: each package's wheels before its sdist. */
    private static List<Path> twineOrder(List<Path> files) {
        List<Path> ordered = new java.util.ArrayList<>();
        for (int i = 0; i < files.size(); ) {
            String project = io.slipway.python.DistributionFile.parse(files.get(i).getFileName().toString()).project().normalized();
            int end = i;
            while (end < files.size() && io.slipway.python.DistributionFile.parse(files.get(end).getFileName().toString())
                    .project().normalized().equals(project)) {
                end++;
            }
            List<Path> group = files.subList(i, end);
            group.stream().filter(f -> f.toString().endsWith(".whl")).forEach(ordered::add);
            group.stream().filter(f -> !f.toString().endsWith(".whl")).forEach(ordered::add);
            i = end;
        }
        return ordered;
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(f -> f.getFileName().toString()).toList();
    }

    @Test
    void filesAreUploadedProjectByProjectInTheGivenOrderAndTheirUrlsAreOutputs() throws Exception {
        try (FaultProxy proxy = new FaultProxy("http://127.0.0.1:" + index.port());
             StepHarness h = openHarness(proxy.url(), concat(cli, core), "state").input("order", List.of("acme_core", "acme-cli"))) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
            assertEquals(names(twineOrder(concat(core, cli))), proxy.forwardedUploads());
            @SuppressWarnings("unchecked")
            Map<String, String> urls = (Map<String, String>) run.outputs().get("urls");
            assertEquals(names(concat(cli, core)).stream().sorted().toList(), urls.keySet().stream().sorted().toList());
            assertTrue(urls.values().stream().allMatch(u -> u.startsWith("http://127.0.0.1:")), urls::toString);
            @SuppressWarnings("unchecked")
            Map<String, String> pages = (Map<String, String>) run.outputs().get("project-urls");
            assertEquals(List.of("acme-core", "acme-cli"), List.copyOf(pages.keySet()));
        }
    }

    @Test
    void aSecondRunOfTheSameUploadSkipsEveryFileTheIndexAlreadyHas() throws Exception {
        try (StepHarness first = openHarness(index.uploadUrl(), concat(core, cli), "state-1")) {
            first.run();
        }
        try (StepHarness second = openHarness(index.uploadUrl(), concat(core, cli), "state-2")) {
            StepHarness.Run run = second.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
            assertTrue(run.result().message().startsWith("uploaded 0 files"), run.result().message());
            assertTrue(run.result().message().endsWith("4 already there"), run.result().message());
        }
    }

    /** What an index serves for the fixtures' projects: file name → sha256, as its simple pages list them. */
    private static Map<String, String> held(LocalIndex on) throws Exception {
        Map<String, String> held = new java.util.TreeMap<>();
        IndexClient client = IndexClient.builder(URI.create(on.simpleUrl())).build();
        for (String project : List.of("acme-core", "acme-cli")) {
            client.files(project).ifPresent(files -> files.files().forEach(f -> held.put(f.fileName(), f.sha256().orElse("?"))));
        }
        return held;
    }

    private static Map<String, String> sha256(List<Path> files) throws IOException {
        Map<String, String> sha256 = new java.util.TreeMap<>();
        for (Path f : files) {
            sha256.put(f.getFileName().toString(), Sha256.of(f));
        }
        return sha256;
    }

    @Test
    void filesTheJournalRecordsAsUploadedToAnotherIndexAreUploadedToAFreshOne() throws Exception {
        // A rehearsal after a fix: the same step and journal, a fresh index on another port.
        try (StepHarness first = openHarness(index.uploadUrl(), concat(core, cli), "state")) {
            assertEquals(StepResult.Status.SUCCEEDED, first.run().result().status());
        }
        try (LocalIndex fresh = LocalIndex.start(tmp.resolve("fresh-index"));
             StepHarness second = openHarness(fresh.uploadUrl(), concat(core, cli), "state")) {
            StepHarness.Run run = second.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
            assertEquals("uploaded 4 files to " + fresh.uploadUrl(), run.result().message());
            assertEquals(sha256(concat(core, cli)), held(fresh));
        }
    }

    @Test
    void aNewIndexIdentityAtTheSameAddressIsAnotherIndex() throws Exception {
        try (StepHarness first = openHarness(index.uploadUrl(), core, "state").input("index-identity", "generation-1")) {
            assertEquals(StepResult.Status.SUCCEEDED, first.run().result().status());
        }
        // The address now serves another generation, which has none of the files.
        try (var stored = Files.walk(index.storage())) {
            for (Path f : stored.filter(Files::isRegularFile).toList()) {
                Files.delete(f);
            }
        }
        try (StepHarness second = openHarness(index.uploadUrl(), core, "state").input("index-identity", "generation-2")) {
            StepHarness.Run run = second.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
            assertEquals("uploaded 2 files to " + index.uploadUrl(), run.result().message());
            assertEquals(sha256(core), held(index));
        }
        try (StepHarness third = openHarness(index.uploadUrl(), core, "state").input("index-identity", "generation-2")) {
            StepHarness.Run run = third.run();

            assertTrue(run.log().stream().anyMatch(l -> l.contains("(journal); skipped")), () -> String.join("\n", run.log()));
            assertEquals(sha256(core), held(index));
        }
    }

    @Test
    void aFileThatChangedAfterTheBuildIsRefused() throws Exception {
        Path wheel = Files.copy(core.get(1), Files.createDirectories(tmp.resolve("dist")).resolve(core.get(1).getFileName()));
        try (FaultProxy proxy = new FaultProxy("http://127.0.0.1:" + index.port());
             StepHarness h = openHarness(proxy.url(), List.of(wheel), "state")) {
            Files.write(wheel, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().message().contains("changed after it was built"), run.result().message());
            assertEquals(List.of(), proxy.forwardedUploads());
        }
    }

    @Test
    void anotherFileUnderANameTheIndexHasIsAHardErrorNamingBothHashes() throws Exception {
        try (StepHarness first = openHarness(index.uploadUrl(), core, "state-1")) {
            first.run();
        }
        try (StepHarness second = openHarness(index.uploadUrl(), otherCore, "state-2")) {
            StepHarness.Run run = second.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().message().contains(Sha256.of(twineOrder(core).get(0))), run.result().message());
            assertTrue(run.result().message().contains(Sha256.of(twineOrder(otherCore).get(0))), run.result().message());
        }
    }

    @Test
    void wrongCredentialsAreExplainedForTheTargetAndNeverShown() throws Exception {
        index.close();
        index = LocalIndex.start(tmp.resolve("private-index"), "uploader", "right-password");
        try (StepHarness h = harness(index.uploadUrl(), core, "state")
                .input("username", "uploader").input("password", "wrong-password")) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().message().contains("refused the credentials for \"" + index.uploadUrl()
                    + "\" (from the username and password inputs) with HTTP 401"), run.result().message());
            assertFalse(h.consoleText().contains("wrong-password"));
            assertFalse(Files.readString(h.journalFile()).contains("wrong-password"));
        }
    }

    @Test
    void credentialsFromTwineVariablesReachTwine() throws Exception {
        index.close();
        index = LocalIndex.start(tmp.resolve("private-index"), "uploader", "right-password");
        try (StepHarness h = harness(index.uploadUrl(), core, "state")
                .env("TWINE_USERNAME", "uploader").env("TWINE_PASSWORD", "right-password")) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
            assertEquals("uploaded 2 files to " + index.uploadUrl(), run.result().message());
        }
    }

    @Test
    void credentialsWrittenIntoTheRepositoryUrlReachTwineThroughItsEnvironmentOnly() throws Exception {
        index.close();
        index = LocalIndex.start(tmp.resolve("private-index"), "uploader", "url-password-4711");
        // The interpreter records its arguments, so the test sees twine's command line as the OS does.
        Path argv = tmp.resolve("argv.txt");
        Path python = Files.writeString(tmp.resolve("python"),
                "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + argv + "'\nexec /usr/bin/python3 \"$@\"\n");
        assertTrue(python.toFile().setExecutable(true));
        String url = index.uploadUrl().replace("http://", "http://uploader:url-password-4711@");
        try (StepHarness h = harness(url, core, "state").env("SLIPWAY_PYTHON", python.toString())) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
            assertEquals("uploaded 2 files to " + index.uploadUrl(), run.result().message());
            String commandLines = Files.readString(argv);
            assertTrue(commandLines.contains(" --repository-url " + index.uploadUrl() + " "), commandLines);
            assertFalse(commandLines.contains("url-password-4711"), commandLines);
            assertFalse(run.outputs().toString().contains("url-password-4711"), run.outputs()::toString);
            assertFalse(Files.readString(h.journalFile()).contains("url-password-4711"));
        }
    }

    @Test
    void serverErrorsOnUploadAreRetriedUntilTheUploadSucceeds() throws Exception {
        try (FaultProxy proxy = new FaultProxy("http://127.0.0.1:" + index.port()).failFirstUploads(6, 503);
             StepHarness h = openHarness(proxy.url(), core, "state")) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
            assertEquals(names(twineOrder(core)), proxy.forwardedUploads());
            assertTrue(run.log().stream().anyMatch(l -> l.contains("HTTP 503; retrying")), () -> String.join("\n", run.log()));
        }
    }

    @Test
    void aRefusalWithoutAReasonIsNotRetriedAndNotCalledAnExistingFile() throws Exception {
        try (FaultProxy proxy = new FaultProxy("http://127.0.0.1:" + index.port()).failFirstUploads(1, 400);
             StepHarness h = openHarness(proxy.url(), core, "state")) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertEquals(proxy.url() + " refused " + twineOrder(core).get(0).getFileName() + " with HTTP 400 and gave no reason",
                    run.result().message());
            assertEquals(1, proxy.uploadAttempts());
        }
    }

    @Test
    void aRefusalIsReportedInTheIndexsOwnWordsFromItsReasonPhrase() throws Exception {
        String reason = "'1!2.0' is an invalid value for Version. Error: this index takes no epochs.";
        try (RefusingIndex refusing = new RefusingIndex("400 " + reason);
             StepHarness h = openHarness(refusing.url(), core, "state")) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertEquals(refusing.url() + " refused " + twineOrder(core).get(0).getFileName() + " with HTTP 400: " + reason,
                    run.result().message());
            assertEquals("fix what the index reports, build again and run the release again", run.result().hint());
            assertEquals(1, refusing.uploads());
        }
    }

    @Test
    void aFileNameTheIndexSaysIsTakenIsExplainedAsSuch() throws Exception {
        String reason = "File already exists. See https://pypi.org/help/#file-name-reuse for more information.";
        try (RefusingIndex refusing = new RefusingIndex("400 " + reason);
             StepHarness h = openHarness(refusing.url(), core, "state")) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().message().endsWith("with HTTP 400: " + reason), run.result().message());
            assertTrue(run.result().hint().startsWith("a file name can be uploaded only once"), run.result().hint());
            assertEquals(1, refusing.uploads());
        }
    }

    @Test
    void aRefusalTheEmbeddedIndexExplainsInItsAnswerIsReportedInItsWords() throws Exception {
        List<Path> local = RealPython.build(fixtures.resolve("local"), "acme-core", "1.2.0+local7", "local");
        try (StepHarness h = openHarness(index.uploadUrl(), local, "state")) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertEquals(index.uploadUrl() + " refused " + twineOrder(local).get(0).getFileName()
                    + " with HTTP 400: Local versions cannot be uploaded (1.2.0+local7), as on PyPI.", run.result().message());
        }
    }

    @Test
    void aRefusalInTheMiddleOfAPackagesCallNamesTheRefusedFileAndTheFilesBeforeItAreDone() throws Exception {
        // One project, one twine call (wheels first): the index takes core's wheel, then refuses the local version's.
        List<Path> local = RealPython.build(fixtures.resolve("local"), "acme-core", "1.2.0+local7", "local");
        Path coreWheel = twineOrder(core).get(0);
        Path localWheel = twineOrder(local).get(0);
        try (StepHarness h = openHarness(index.uploadUrl(), concat(core, local), "state")) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            assertTrue(run.result().message().startsWith(index.uploadUrl() + " refused " + localWheel.getFileName()
                    + " with HTTP 400"), run.result().message());
            assertTrue(run.facts().get("upload:" + coreWheel.getFileName()).startsWith("done "), run.facts()::toString);
            assertTrue(run.facts().get("upload:" + localWheel.getFileName()).startsWith("in-flight "), run.facts()::toString);
            assertEquals(sha256(List.of(coreWheel)), held(index));
        }
    }

    @Test
    void anEpochVersionIsUploadedToTheEmbeddedIndex() throws Exception {
        List<Path> epoch = RealPython.build(fixtures.resolve("epoch"), "acme-core", "1!2.0", "epoch");
        try (StepHarness h = openHarness(index.uploadUrl(), epoch, "state")) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.SUCCEEDED, run.result().status(), () -> String.join("\n", run.log()));
            assertEquals(sha256(epoch), held(index));
        }
    }

    @Test
    void anUploadThatHangsIsStoppedAfterTimeoutSecondsWithAHintNamingTheInput() throws Exception {
        // The index takes the file but its answer never comes: twine itself would wait for it forever.
        try (FaultProxy proxy = new FaultProxy("http://127.0.0.1:" + index.port()).holdAfterForwardingUpload(1);
             StepHarness h = openHarness(proxy.url(), core, "state").input("timeout-seconds", 2)) {
            StepHarness.Run run = h.run();

            assertEquals(StepResult.Status.FAILED, run.result().status());
            // One twine call for the package's two files: 2 s per file.
            assertTrue(run.result().message().contains("ran longer than 4 s and was stopped"), run.result().message());
            assertEquals("raise the step's timeout-seconds input if it needs longer", run.result().hint());
        }
    }

    @Test
    void aResumeAfterACrashDuringAnUploadSendsEveryFileExactlyOnce() throws Exception {
        List<Path> files = twineOrder(concat(core, cli));
        try (FaultProxy before = new FaultProxy("http://127.0.0.1:" + index.port()).holdAfterForwardingUpload(2);
             FaultProxy after = new FaultProxy("http://127.0.0.1:" + index.port())) {
            // The second file reaches the index, then the runner dies before hearing back:
            // the journal says in-flight for it.
            StepHarness crashed = openHarness(before.url(), files, "state");
            Thread run = new Thread(crashed::run);
            run.start();
            before.awaitHeld();
            crashed.crash();

            try (StepHarness resumed = openHarness(after.url(), files, "state")) {
                StepHarness.Run resumedRun = resumed.run();

                assertEquals(StepResult.Status.SUCCEEDED, resumedRun.result().status(),
                        () -> String.join("\n", resumedRun.log()));
                assertEquals(names(files.subList(0, 2)), before.forwardedUploads());
                assertEquals(names(files.subList(2, 4)), after.forwardedUploads());
            } finally {
                // The dead runner's thread is still waiting for its answer; let it end.
                before.release();
                run.join(60_000);
            }
        }
    }

    @Test
    void aRunnerKilledInTheMiddleOfAPackagesTwineCallLeavesEachFileOnceOnTheIndexAfterTheResume() throws Exception {
        List<Path> files = twineOrder(concat(core, cli));
        try (FaultProxy before = new FaultProxy("http://127.0.0.1:" + index.port()).holdAfterForwardingUpload(1);
             FaultProxy after = new FaultProxy("http://127.0.0.1:" + index.port())) {
            // core's first file reaches the index; the runner and twine die before the second is sent.
            StepHarness killed = openHarness(before.url(), files, "state");
            Thread run = new Thread(killed::run);
            run.start();
            before.awaitHeld();
            Path journalFile = killed.journalFile();
            killed.crash();
            String journal = Files.readString(journalFile);
            for (Path file : core) {
                assertTrue(journal.matches("(?s).*\"upload:" + java.util.regex.Pattern.quote(file.getFileName().toString())
                        + "\"\\s*:\\s*\"in-flight .*"), journal);
            }

            try (StepHarness resumed = openHarness(after.url(), files, "state")) {
                StepHarness.Run resumedRun = resumed.run();

                assertEquals(StepResult.Status.SUCCEEDED, resumedRun.result().status(),
                        () -> String.join("\n", resumedRun.log()));
                assertEquals(names(files.subList(0, 1)), before.forwardedUploads());
                assertEquals(names(files.subList(1, 4)), after.forwardedUploads());
                assertEquals(sha256(files), held(index));
                assertEquals("uploaded 3 files to " + after.url() + ", 1 already there", resumedRun.result().message());
            } finally {
                // The killed runner's twine is still waiting for its answer: end it as kill -9 would have.
                ProcessHandle.current().descendants()
                        .filter(p -> p.info().commandLine().orElse("").contains("twine"))
                        .forEach(ProcessHandle::destroyForcibly);
                before.release();
                run.join(60_000);
            }
        }
    }
}
