package io.slipway.plugin.localindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.python.IndexClient;
import io.slipway.python.IndexException;
import io.slipway.python.IndexFile;
import io.slipway.python.ProjectFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded index with the real tools: twine uploads, pip installs, the index client lists. */
@Tag("process")
class LocalIndexTest {

    @TempDir
    public static Path shared;
    public static List<Path> dists;

    @TempDir
    Path storage;

    @BeforeAll
    public static void buildDistributions() throws Exception {
        dists = RealPython.build(shared.resolve("acme-core"), "acme-core", "0.4.0", "first");
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void twineUploadsAndTheIndexClientListsTheFilesWithTheirHashes() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage, "maintainer", "s3cret")) {
            RealPython.Result upload = RealPython.upload(index.uploadUrl(), "maintainer", "s3cret", dists);
            assertEquals(0, upload.exitCode(), upload.output());

            ProjectFiles files = IndexClient.builder(URI.create(index.simpleUrl())).build().files("Acme_Core")
                    .orElseThrow();
            for (Path dist : dists) {
                IndexFile listed = files.file(dist.getFileName().toString()).orElseThrow();
                assertEquals(Optional.of(sha256(dist)), listed.sha256(), listed.toString());
            }
        }
    }

    @Test
    void aFileNameUploadedAgainWithOtherContentIsRejectedLikePyPI() throws Exception {
        List<Path> rebuilt = RealPython.build(shared.resolve("rebuilt"), "acme-core", "0.4.0", "second");
        assertEquals(dists.get(0).getFileName(), rebuilt.get(0).getFileName());
        assertNotEquals(sha256(dists.get(1)), sha256(rebuilt.get(1)));
        try (LocalIndex index = LocalIndex.start(storage)) {
            RealPython.ok(shared, Map.of(), RealPython.PYTHON, "-c", "pass");
            assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", dists).exitCode());

            RealPython.Result again = RealPython.upload(index.uploadUrl(), "any", "any", List.of(rebuilt.get(1)));

            assertNotEquals(0, again.exitCode());
            assertTrue(again.output().contains("400"), again.output());
            ProjectFiles files = IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-core")
                    .orElseThrow();
            assertEquals(Optional.of(sha256(dists.get(1))),
                    files.file(dists.get(1).getFileName().toString()).orElseThrow().sha256());
        }
    }

    @Test
    void anIdenticalReUploadIsANoOpLikePyPI() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage)) {
            assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", dists).exitCode());
            RealPython.Result again = RealPython.upload(index.uploadUrl(), "any", "any", dists);
            assertEquals(0, again.exitCode(), again.output());
        }
    }

    @Test
    void aWrongPasswordIsRefusedWith401() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage, "maintainer", "s3cret")) {
            RealPython.Result upload = RealPython.upload(index.uploadUrl(), "maintainer", "wrong", dists);
            assertNotEquals(0, upload.exitCode());
            assertTrue(upload.output().contains("401"), upload.output());
            assertEquals(Optional.of(List.of()), IndexClient.builder(URI.create(index.simpleUrl())).build()
                    .files("acme-core").map(ProjectFiles::files));
        }
    }

    @Test
    void pipInstallsFromItIntoAFreshVenvWithoutCredentials() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage, "maintainer", "s3cret")) {
            assertEquals(0, RealPython.upload(index.uploadUrl(), "maintainer", "s3cret", dists).exitCode());
            Path venv = shared.resolve("venv-" + System.nanoTime());
            // A venv without its own pip, filled by the system pip (--python): the same install, seconds faster.
            RealPython.ok(shared, Map.of(), RealPython.PYTHON, "-m", "venv", "--without-pip", venv.toString());
            String python = venv.resolve("bin/python").toString();
            RealPython.ok(shared, Map.of(), RealPython.PYTHON, "-m", "pip", "--python", python, "install", "--no-cache-dir",
                    "--index-url", index.simpleUrl(), "acme-core==0.4.0");
            RealPython.Result marker = RealPython.ok(shared, Map.of(), python, "-c", "import acme_core; print(acme_core.MARKER)");
            assertEquals("first", marker.output().strip());
        }
    }

    @Test
    void everyValidPep440VersionIsTakenEpochsIncludedAndPipInstallsIt() throws Exception {
        List<Path> epoch = RealPython.build(shared.resolve("epoch"), "acme-epoch", "1!2.0", "epoch");
        try (LocalIndex index = LocalIndex.start(storage)) {
            RealPython.Result upload = RealPython.upload(index.uploadUrl(), "any", "any", epoch);
            assertEquals(0, upload.exitCode(), upload.output());

            ProjectFiles files = IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-epoch").orElseThrow();
            for (Path dist : epoch) {
                assertEquals(Optional.of(sha256(dist)), files.file(dist.getFileName().toString()).orElseThrow().sha256());
            }
            Path venv = shared.resolve("venv-epoch");
            RealPython.ok(shared, Map.of(), RealPython.PYTHON, "-m", "venv", "--without-pip", venv.toString());
            String python = venv.resolve("bin/python").toString();
            RealPython.ok(shared, Map.of(), RealPython.PYTHON, "-m", "pip", "--python", python, "install", "--no-cache-dir",
                    "--index-url", index.simpleUrl(), "acme-epoch==1!2.0");
            assertEquals("epoch", RealPython.ok(shared, Map.of(), python, "-c", "import acme_epoch; print(acme_epoch.MARKER)")
                    .output().strip());
        }
    }

    @Test
    void aLocalVersionIsRefusedLikePyPIWithTheReasonInTheAnswer() throws Exception {
        List<Path> local = RealPython.build(shared.resolve("local"), "acme-local", "1.0+build7", "local");
        try (LocalIndex index = LocalIndex.start(storage)) {
            RealPython.Result upload = RealPython.upload(index.uploadUrl(), "any", "any", List.of(local.get(1)), "--verbose");

            assertNotEquals(0, upload.exitCode());
            assertTrue(upload.output().contains("400 Bad Request"), upload.output());
            assertTrue(upload.output().contains("Local versions cannot be uploaded (1.0+build7), as on PyPI."), upload.output());
            assertEquals(Optional.of(List.of()), IndexClient.builder(URI.create(index.simpleUrl())).build()
                    .files("acme-local").map(ProjectFiles::files));
        }
    }

    @Test
    void filesInTheStorageAreServedAfterARestart() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage)) {
            assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", dists).exitCode());
        }
        try (LocalIndex index = LocalIndex.start(storage)) {
            assertEquals(2, IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-core")
                    .orElseThrow().files().size());
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        LocalIndex index = LocalIndex.start(storage);
        index.close();
        index.close();
        assertThrows(IndexException.class, () -> IndexClient.builder(URI.create(index.simpleUrl())).attempts(1).build()
                .files("acme-core"));
    }

    @Test
    void closingLeavesNoThreadThatKeepsTheJvmAlive() throws Exception {
        try (LocalIndex index = LocalIndex.start(storage)) {
            assertEquals(0, RealPython.upload(index.uploadUrl(), "any", "any", dists).exitCode());
            IndexClient.builder(URI.create(index.simpleUrl())).build().files("acme-core");
        }
        // Threads told to stop end a moment later; give them a few seconds, no more.
        List<String> blocking = nonDaemonThreads();
        for (int i = 0; i < 50 && !blocking.isEmpty(); i++) {
            Thread.sleep(100);
            blocking = nonDaemonThreads();
        }
        assertEquals(List.of(), blocking);
    }

    private static List<String> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .map(Thread::getName)
                .filter(n -> !n.equals("main") && !n.startsWith("surefire") && !n.equals("DestroyJavaVM"))
                .toList();
    }
}
