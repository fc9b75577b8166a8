package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release handed from one machine to another: the first clone runs until the rehearsal and writes
 * a handoff; a fresh clone of the same remote, at the same path, refuses a tampered handoff and one
 * of another version with nothing changed, then takes the real one and publishes: nothing rebuilt,
 * each built file on the index once and byte-identical, the tag on the remote's release commit.
 * The monorepo sample with the reference pipeline, rehearsed on the embedded index.
 */
@Tag("process")
class HandoffIT {

    @TempDir
    Path dir;

    @Test
    void aReleaseStoppedAfterTheRehearsalIsPublishedFromAnotherCloneWithNothingRebuilt() throws Exception {
        SampleRepo first = SampleRepo.referencePipeline(dir, "local");
        ObjectId start = first.remoteHead();
        Path handoff = dir.resolve("release-" + SampleRepo.VERSION + ".tgz");
        Runner.Result prepared = first.release(Map.of(), "--until", "rehearse", "--handoff", handoff.toString());
        assertEquals(0, prepared.exit(), prepared.summary());
        assertTrue(prepared.has("stopped after rehearse (--until)"), prepared.summary());
        // The built files (in .slipway/dist) travel; the command to run there has the same options.
        assertTrue(prepared.has("(0 tag(s), 6 file(s))"), prepared.summary());
        assertTrue(prepared.has(": runner " + String.join(" ", first.command("--handoff", handoff.toString()))), prepared.summary());
        Map<String, String> built = first.builtSha256();
        JsonNode firstBuild = first.step("build/python-build");
        ObjectId releaseCommit;
        try (Git git = Git.open(first.work.toFile())) {
            releaseCommit = git.getRepository().resolve("HEAD");
        }
        assertEquals(start, first.remoteHead(), "nothing is pushed before the handoff");
        assertTrue(first.remoteTags().isEmpty() || !first.remoteTags().contains("v" + SampleRepo.VERSION), first.remoteTags()::toString);

        // The second machine: a fresh clone at the same path.
        Files.move(first.work, dir.resolve("first-machine"));
        SampleRepo second = new SampleRepo(first.work, first.remote, first.options);
        try (Git git = Git.cloneRepository().setURI(first.remote.toUri().toString()).setDirectory(second.work.toFile()).call()) {
            StoredConfig config = git.getRepository().getConfig();
            config.setInt("gc", null, "auto", 0);
            config.setString("user", null, "name", "Second Machine");
            config.setString("user", null, "email", "second@slipway.invalid");
            config.save();
        }

        Path tampered = dir.resolve("tampered.tgz");
        rewrite(handoff, tampered, name -> name.endsWith(".whl"));
        Runner.Result refused = second.release(Runner.CREDENTIALS, "--handoff", tampered.toString());
        assertEquals(2, refused.exit(), refused.summary());
        assertTrue(refused.has("does not match the sha256 its manifest records"), refused.summary());
        assertUntouched(second, start);

        List<String> otherVersion = new ArrayList<>(second.command("--handoff", handoff.toString()));
        otherVersion.set(otherVersion.indexOf(SampleRepo.VERSION), "1.0.1");
        Runner.Result wrongVersion = Runner.run(second.work, Runner.CREDENTIALS, otherVersion);
        assertEquals(2, wrongVersion.exit(), wrongVersion.summary());
        assertTrue(wrongVersion.has("is of release " + SampleRepo.VERSION + ", not release 1.0.1"), wrongVersion.summary());
        assertUntouched(second, start);

        List<String> otherOptions = new ArrayList<>(second.command("--handoff", handoff.toString()));
        otherOptions.set(otherOptions.indexOf("rehearsal-repository=local"), "rehearsal-repository=testpypi");
        Runner.Result wrongOptions = Runner.run(second.work, Runner.CREDENTIALS, otherOptions);
        assertEquals(2, wrongOptions.exit(), wrongOptions.summary());
        assertTrue(wrongOptions.has("the handoff was made with other --set options than this run's"), wrongOptions.summary());
        assertTrue(wrongOptions.has("keys: build-args, rehearsal-repository, repository;"), wrongOptions.summary());
        assertUntouched(second, start);

        Runner.Result published = second.release(Runner.CREDENTIALS, "--handoff", handoff.toString());
        assertEquals(0, published.exit(), published.summary());
        assertEquals(built, SampleRepo.indexFiles(second.productionIndex()), "each built file once on the index, byte-identical");
        assertEquals(firstBuild.path("started").asText(), second.step("build/python-build").path("started").asText(),
                "the build of the first machine is the one published: not run again");
        assertEquals(releaseCommit, second.remoteHead(), "the remote's branch is at the first machine's release commit");
        try (Git remote = Git.open(second.remote.toFile())) {
            Ref tag = remote.getRepository().getRefDatabase().peel(remote.getRepository().exactRef("refs/tags/v" + SampleRepo.VERSION));
            assertEquals(releaseCommit, tag.getPeeledObjectId() != null ? tag.getPeeledObjectId() : tag.getObjectId());
        }
        try (Git git = Git.open(second.work.toFile())) {
            org.eclipse.jgit.api.Status status = git.status().call();
            assertTrue(status.isClean(), () -> "clean tree: " + status.getUncommittedChanges() + status.getUntracked());
        }
    }

    private static void assertUntouched(SampleRepo repo, ObjectId start) throws Exception {
        try (Git git = Git.open(repo.work.toFile())) {
            assertEquals(start, git.getRepository().resolve("HEAD"), "a refused handoff moves nothing");
            assertEquals(null, git.getRepository().exactRef("refs/tags/v" + SampleRepo.VERSION));
        }
        assertFalse(Files.exists(repo.work.resolve(".slipway/release/" + SampleRepo.VERSION + "/journal.json")), "no journal installed");
    }

    /** A copy of a handoff with one byte appended to each entry the filter picks. */
    private static void rewrite(Path from, Path to, java.util.function.Predicate<String> change) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(from); TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.put(e.getName(), tar.readAllBytes());
            }
        }
        assertTrue(entries.keySet().stream().anyMatch(change), entries.keySet()::toString);
        try (OutputStream out = Files.newOutputStream(to); TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] bytes = change.test(e.getKey()) ? concat(e.getValue(), "x".getBytes(StandardCharsets.UTF_8)) : e.getValue();
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(bytes.length);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
