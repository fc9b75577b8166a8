package io.slipway.plugin.gitsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.BundleWriter;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A release's unpushed commits and local tags, carried from one clone to another as a git bundle:
 * {@link #write} on the machine that made them, {@link #apply} on a fresh checkout of the commit the
 * release started from.
 */
public final class Handover {

    /**
     * What a bundle carries.
     *
     * @param branch the branch the release commits are on
     * @param head   the commit the branch ends at
     * @param tags   full names of the local tags on the release's commits
     */
    public record Content(String branch, String head, List<String> tags) {
    }

    private Handover() {
    }

    /**
     * Writes the commits from {@code start} (left out: the other clone has it) to HEAD, the current
     * branch at HEAD and the local tags that point at those commits.
     */
    public static Content write(Path workspace, String start, OutputStream out) throws IOException {
        try (Repository repo = open(workspace); RevWalk walk = new RevWalk(repo)) {
            String branch = repo.getFullBranch();
            if (branch == null || !branch.startsWith("refs/heads/")) {
                throw new IOException("HEAD is not on a branch");
            }
            ObjectId head = repo.resolve("HEAD");
            RevCommit startCommit = walk.parseCommit(ObjectId.fromString(start));
            walk.markStart(walk.parseCommit(head));
            walk.markUninteresting(startCommit);
            List<ObjectId> ahead = new ArrayList<>();
            walk.forEach(c -> ahead.add(c.getId()));
            BundleWriter bundle = new BundleWriter(repo);
            bundle.include(branch, head);
            List<String> tags = new ArrayList<>();
            for (Ref tag : repo.getRefDatabase().getRefsByPrefix("refs/tags/")) {
                Ref peeled = repo.getRefDatabase().peel(tag);
                ObjectId target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
                if (ahead.contains(target) || (ahead.isEmpty() && target.equals(head))) {
                    bundle.include(tag);
                    tags.add(tag.getName());
                }
            }
            bundle.assume(startCommit);
            bundle.writeBundle(NullProgressMonitor.INSTANCE, out);
            return new Content(branch, head.name(), tags);
        }
    }

    /**
     * Brings the bundle's branch and tags into the repository containing {@code workspace}, whose
     * HEAD must be on that branch at {@code start} (a fresh checkout) or already at the bundle's head.
     *
     * @return what was done, one line each; empty when the repository already had it all
     */
    public static List<String> apply(Path workspace, Path bundle, String start, Content expected) throws IOException, Refused {
        List<String> done = new ArrayList<>();
        try (Repository repo = open(workspace); Git git = new Git(repo)) {
            String branch = repo.getFullBranch();
            if (!expected.branch().equals(branch)) {
                throw new Refused("this checkout is on " + Optional.ofNullable(branch).map(Repository::shortenRefName).orElse("no branch")
                        + ", the release on " + Repository.shortenRefName(expected.branch()),
                        "check out " + Repository.shortenRefName(expected.branch()) + " at " + start.substring(0, 7) + " first");
            }
            String head = Optional.ofNullable(repo.resolve("HEAD")).map(ObjectId::name).orElse("");
            if (!head.equals(start) && !head.equals(expected.head())) {
                throw new Refused("this checkout is at " + abbreviate(head) + ", but the release started from "
                        + start.substring(0, 7), "check out " + start.substring(0, 7) + ", the commit the first machine released from");
            }
            if (!git.status().call().isClean()) {
                throw new Refused("this checkout has changes of its own", "start from a clean checkout of " + start.substring(0, 7));
            }
            List<RefSpec> specs = new ArrayList<>();
            specs.add(new RefSpec(expected.branch() + ":refs/slipway/handoff"));
            for (String tag : expected.tags()) {
                if (repo.exactRef(tag) == null) {
                    specs.add(new RefSpec(tag + ":" + tag));
                    done.add("created the tag " + Repository.shortenRefName(tag));
                }
            }
            git.fetch().setRemote(bundle.toAbsolutePath().toString()).setRefSpecs(specs).call();
            ObjectId fetched = repo.resolve("refs/slipway/handoff");
            if (fetched == null || !fetched.name().equals(expected.head())) {
                throw new Refused("the bundle's " + Repository.shortenRefName(expected.branch()) + " is at " + abbreviate(fetched == null ? "" : fetched.name())
                        + ", not " + expected.head().substring(0, 7), "the handoff was changed after it was written; make it again");
            }
            if (!head.equals(expected.head())) {
                git.reset().setMode(ResetCommand.ResetType.HARD).setRef(expected.head()).call();
                done.add(0, "moved " + Repository.shortenRefName(branch) + " to " + expected.head().substring(0, 7) + " (the release's commits)");
            }
            RefUpdate scratch = repo.updateRef("refs/slipway/handoff");
            scratch.setForceUpdate(true);
            scratch.delete();
            return done;
        } catch (GitAPIException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The URL of the remote {@code origin}, which tells two clones of one repository apart from others. */
    public static Optional<String> origin(Path workspace) throws IOException {
        try (Repository repo = open(workspace)) {
            return Optional.ofNullable(repo.getConfig().getString("remote", "origin", "url"));
        }
    }

    private static String abbreviate(String id) {
        return id.length() >= 7 ? id.substring(0, 7) : "no commit";
    }

    private static Repository open(Path workspace) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(workspace.toFile());
        if (builder.getGitDir() == null) {
            throw new IOException(workspace + " is not in a git repository");
        }
        return builder.build();
    }
}
