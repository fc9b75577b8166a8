package io.slipway.plugin.gitsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Takes a repository back to the commit a release started from, for {@code runner abandon}: the
 * branch moves back over the release's own commits (and only those), and the local tags on them
 * are deleted. The work tree is left alone (a mixed reset): the caller puts the release's files back.
 * The index entries of the files the release changed go back to that commit's too, also when the
 * release made no commit: a tool a step ran may have staged them (towncrier {@code git add}s its
 * newsfile and {@code git rm}s the news fragments).
 */
public final class Rollback {

    private Rollback() {
    }

    /** The commit HEAD is on in the repository containing {@code workspace}; empty outside a repository or before the first commit. */
    public static Optional<String> head(Path workspace) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(workspace.toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        try (Repository repo = builder.build()) {
            return Optional.ofNullable(repo.resolve("HEAD")).map(ObjectId::name);
        }
    }

    /**
     * Moves the current branch back to {@code start} when every commit between them is one of
     * {@code releaseCommits}, deletes the local tags that point at those commits, and sets the index
     * entries of {@code changedFiles} (relative to {@code workspace}) to {@code start}'s.
     *
     * @return what was done, one line each
     * @throws Refused if HEAD is not on top of {@code start}, or a commit on the way is not the release's
     */
    public static List<String> undo(Path workspace, String start, Set<String> releaseCommits, Collection<String> changedFiles)
            throws IOException, Refused {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(workspace.toFile());
        List<String> done = new ArrayList<>();
        try (Repository repo = builder.build(); Git git = new Git(repo); RevWalk walk = new RevWalk(repo)) {
            ObjectId head = repo.resolve("HEAD");
            ObjectId startId = ObjectId.fromString(start);
            RevCommit startCommit = walk.parseCommit(startId);
            if (!walk.isMergedInto(startCommit, walk.parseCommit(head))) {
                throw new Refused("HEAD (" + head.abbreviate(7).name() + ") is not on top of " + startId.abbreviate(7).name()
                        + ", the commit the release started from", "check out the release branch, then run abandon again");
            }
            walk.reset();
            walk.markStart(walk.parseCommit(head));
            walk.markUninteresting(startCommit);
            List<RevCommit> ahead = new ArrayList<>();
            walk.forEach(ahead::add);
            for (RevCommit c : ahead) {
                if (!releaseCommits.contains(c.name())) {
                    throw new Refused("commit " + c.abbreviate(7).name() + " \"" + c.getShortMessage() + "\" came after the release"
                            + " started and is not one the release made",
                            "move it aside first (e.g. git rebase --onto " + startId.abbreviate(7).name() + " <the release commit>),"
                                    + " then run abandon again");
                }
            }
            for (Ref tag : repo.getRefDatabase().getRefsByPrefix("refs/tags/")) {
                Ref peeled = repo.getRefDatabase().peel(tag);
                ObjectId target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
                if (ahead.stream().anyMatch(c -> c.getId().equals(target))) {
                    git.tagDelete().setTags(tag.getName()).call();
                    done.add("deleted the local tag " + Repository.shortenRefName(tag.getName()));
                }
            }
            if (!ahead.isEmpty()) {
                git.reset().setMode(ResetCommand.ResetType.MIXED).setRef(startId.name()).call();
                done.add("moved " + Optional.ofNullable(repo.getBranch()).orElse("HEAD") + " back to " + startId.abbreviate(7).name()
                        + " over " + ahead.size() + " release commit(s): "
                        + String.join(", ", ahead.stream().map(c -> c.abbreviate(7).name() + " \"" + c.getShortMessage() + "\"").toList()));
            }
            unstage(repo, git, workspace, startId, changedFiles);
            return done;
        } catch (GitAPIException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** {@code git reset start -- files}: the files' index entries as in {@code start}, where the index differs. */
    private static void unstage(Repository repo, Git git, Path workspace, ObjectId start, Collection<String> files)
            throws IOException, GitAPIException {
        if (files.isEmpty()) {
            return;
        }
        Path workTree = repo.getWorkTree().toPath().toRealPath();
        Path base = workspace.toRealPath();
        ResetCommand reset = git.reset().setRef(start.name());
        for (String file : files) {
            reset.addPath(workTree.relativize(base.resolve(file).normalize()).toString().replace('\\', '/'));
        }
        reset.call();
    }
}
