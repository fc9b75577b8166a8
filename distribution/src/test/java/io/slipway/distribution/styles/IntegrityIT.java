package io.slipway.distribution.styles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is published is what is tagged, counted at the far end (the production index's storage, the
 * remote's refs): the root release.kts on the setuptools-static style, no rehearsal.
 */
@Tag("process")
class IntegrityIT {

    private static final List<String> OPTIONS = List.of("--set", "build-args=--no-isolation", "--set", "rehearsal-repository=none");

    @TempDir
    Path dir;

    private static String console(StyleRepo repo) {
        try {
            return repo.consoleText();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void aReleaseTagTakenOnTheRemoteStopsThePreflightBeforeAnythingChanges() throws Exception {
        StyleRepo repo = StyleRepo.create("setuptools-static", "v1.4.0", dir.resolve("repo"));
        RevCommit elsewhere;
        try (Git colleague = Git.cloneRepository().setURI(repo.remote.toUri().toString())
                .setDirectory(dir.resolve("colleague").toFile()).call()) {
            colleague.checkout().setCreateBranch(true).setName("experiment").call();
            java.nio.file.Files.writeString(dir.resolve("colleague/EXPERIMENT.md"), "not released\n");
            colleague.add().addFilepattern("EXPERIMENT.md").call();
            elsewhere = colleague.commit().setAuthor("Colleague", "c@slipway.invalid")
                    .setCommitter("Colleague", "c@slipway.invalid").setMessage("An experiment").call();
            colleague.tag().setName("v1.5.0").setAnnotated(true).setMessage("oops").call();
            colleague.push().setPushTags().call();
        }

        int exit = repo.release(OPTIONS);

        assertEquals(1, exit, () -> console(repo));
        assertTrue(console(repo).contains("error: preflight/git-hygiene failed"), () -> console(repo));
        assertTrue(console(repo).contains("the release tag v1.5.0 already exists on origin, at "
                + elsewhere.abbreviate(7).name()), () -> console(repo));
        try (Git git = Git.open(repo.work.toFile())) {
            assertEquals(repo.initial, git.getRepository().resolve("HEAD"), "no release commit");
            assertTrue(git.status().call().isClean(), "no file changed");
        }
        assertEquals(List.of(), repo.productionFiles());
        assertEquals(elsewhere, repo.remoteTags().get("v1.5.0"), "the remote's tag is untouched");
    }

    @Test
    void aReleaseTagMadeWhileTheReleaseWaitsStopsThePublishBeforeTheUpload() throws Exception {
        StyleRepo repo = StyleRepo.create("setuptools-static", "v1.4.0", dir.resolve("repo"));
        assertEquals(3, repo.release(OPTIONS, false), () -> console(repo));
        try (Git colleague = Git.cloneRepository().setURI(repo.remote.toUri().toString())
                .setDirectory(dir.resolve("colleague").toFile()).call()) {
            // At the commit the release started from: the release commit lies between it and what was built.
            colleague.tag().setName("v1.5.0").setAnnotated(true).setMessage("premature").call();
            colleague.push().setPushTags().call();
        }

        int refused = repo.release(OPTIONS);

        assertEquals(1, refused, () -> console(repo));
        assertTrue(console(repo).contains("error: publish/remote-unchanged failed"), () -> console(repo));
        assertTrue(console(repo).contains("the release tag v1.5.0 already exists on origin, at " + repo.initial.abbreviate(7).name()),
                () -> console(repo));
        assertEquals(List.of(), repo.productionFiles(), "nothing was uploaded");
        assertEquals(repo.initial, repo.remoteTags().get("v1.5.0"), "the remote's tag is untouched");

        try (Git git = Git.open(repo.work.toFile())) { // as the hint says: here (if fetched) and on the remote
            git.tagDelete().setTags("v1.5.0").call();
            git.push().setRefSpecs(new org.eclipse.jgit.transport.RefSpec(":refs/tags/v1.5.0")).call();
        }
        int released = repo.release(OPTIONS);

        assertEquals(0, released, () -> console(repo));
        assertEquals(2, repo.productionFiles().size(), repo.productionFiles().toString());
        assertEquals(repo.localHead(), repo.remoteTags().get("v1.5.0"), "the tag names the release commit");
    }

    @Test
    void aCommitMadeWhileTheReleaseWaitsIsNeitherTaggedNorPublishedUntilItIsBuilt() throws Exception {
        StyleRepo repo = StyleRepo.create("setuptools-static", "v1.4.0", dir.resolve("repo"));
        assertEquals(3, repo.release(OPTIONS, false), () -> console(repo));
        ObjectId built = repo.localHead();
        ObjectId late = repo.commit("NOTES.md", "written while the release waited\n", "Notes written during the approval");

        int refused = repo.release(OPTIONS);

        assertEquals(1, refused, () -> console(repo));
        assertTrue(console(repo).contains("HEAD moved after the build: the artifacts were built from "
                + built.abbreviate(7).name()), () -> console(repo));
        assertEquals(List.of(), repo.productionFiles(), "nothing was uploaded");
        assertFalse(repo.remoteTags().containsKey("v1.5.0"), "nothing was tagged");

        int released = repo.release(List.of("--set", "build-args=--no-isolation", "--set", "rehearsal-repository=none",
                "--from", "build/python-build"));

        assertEquals(0, released, () -> console(repo));
        assertEquals(late, repo.remoteTags().get("v1.5.0"), "the tag names the commit the files were built from");
        assertEquals(2, repo.productionFiles().size(), repo.productionFiles().toString());
    }
}
