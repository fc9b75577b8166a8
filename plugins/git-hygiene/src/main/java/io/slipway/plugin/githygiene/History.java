package io.slipway.plugin.githygiene;

import io.slipway.plugin.gitsupport.RemoteAccess;
import io.slipway.plugin.gitsupport.Repositories;
import io.slipway.spi.StepException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;

/** Reading the commit graph the way a release needs it: remote heads, commits between two points, release tags. */
final class History {

    /** How many commits a list shows in an error message. */
    static final int SHOWN = 10;

    private History() {
    }

    /** A release tag and the commit it points at. */
    record Tag(String name, ObjectId commit) {
    }

    /**
     * Fetches {@code branch} from {@code remote} into {@code refs/remotes/<remote>/<branch>} and
     * returns the commit it points at there.
     */
    static ObjectId fetchBranch(Git git, RemoteAccess access, String remote, String branch) throws StepException {
        Repositories.requireRemote(git.getRepository(), remote);
        String tracking = Constants.R_REMOTES + remote + "/" + branch;
        try {
            access.apply(git.fetch().setRemote(remote)
                    .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + branch + ":" + tracking))).call();
            Ref ref = git.getRepository().exactRef(tracking);
            if (ref == null) {
                throw new StepException("the remote '" + remote + "' has no branch '" + branch + "'",
                        "push the branch first (git push -u " + remote + " " + branch + ") or set the 'branch' input");
            }
            return ref.getObjectId();
        } catch (GitAPIException | IOException e) {
            throw Repositories.unreachable("fetching '" + branch + "' from", remote, e);
        }
    }

    /** Commits reachable from {@code include} but not from {@code exclude} (may be null), newest first, at most {@code limit}. */
    static List<RevCommit> between(Repository repo, ObjectId exclude, ObjectId include, int limit) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.TOPO);
            walk.markStart(walk.parseCommit(include));
            if (exclude != null) {
                walk.markUninteresting(walk.parseCommit(exclude));
            }
            List<RevCommit> commits = new ArrayList<>();
            for (RevCommit c : walk) {
                if (commits.size() == limit) {
                    break;
                }
                commits.add(c);
            }
            return commits;
        }
    }

    /** {@code "<short sha> <subject>"}, the form commit lists take in outputs and messages. */
    static String line(RevCommit commit) {
        return commit.abbreviate(7).name() + " " + commit.getShortMessage();
    }

    static List<String> lines(List<RevCommit> commits) {
        return commits.stream().map(History::line).toList();
    }

    /** The first {@link #SHOWN} lines, indented, with a note of how many more there are. */
    static String shown(List<RevCommit> commits) {
        StringBuilder text = new StringBuilder();
        commits.stream().limit(SHOWN).forEach(c -> text.append("\n  ").append(line(c)));
        if (commits.size() > SHOWN) {
            text.append("\n  … and ").append(commits.size() - SHOWN).append(" more");
        }
        return text.toString();
    }

    /**
     * The release tag nearest to {@code head} among its ancestors: the first commit, walking back
     * from {@code head} newest first, that carries a tag whose name matches the glob {@code pattern}.
     */
    static Optional<Tag> lastReleaseTag(Repository repo, ObjectId head, String pattern) throws IOException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        Map<ObjectId, String> tagged = new HashMap<>();
        for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
            String name = ref.getName().substring(Constants.R_TAGS.length());
            if (matcher.matches(Path.of(name))) {
                tagged.put(peeled(repo, ref), name);
            }
        }
        if (tagged.isEmpty()) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.COMMIT_TIME_DESC);
            walk.markStart(walk.parseCommit(head));
            for (RevCommit c : walk) {
                String name = tagged.get(c);
                if (name != null) {
                    return Optional.of(new Tag(name, c.copy()));
                }
            }
        }
        return Optional.empty();
    }

    /** Every path git status reports: staged, modified, deleted, untracked or conflicting. */
    static List<String> dirtyFiles(Git git) throws GitAPIException {
        Status s = git.status().call();
        TreeSet<String> files = new TreeSet<>();
        Stream.of(s.getAdded(), s.getChanged(), s.getRemoved(), s.getMissing(), s.getModified(),
                s.getUntracked(), s.getConflicting()).forEach(files::addAll);
        return List.copyOf(files);
    }

    /** The commit a tag ref points at, through an annotated tag. */
    static ObjectId peeled(Repository repo, Ref ref) throws IOException {
        Ref peeled = repo.getRefDatabase().peel(ref);
        return peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId();
    }

    /** {@code "<short sha> <subject>"} of a commit id, or the short sha alone when this clone lacks it. */
    static String describe(Repository repo, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return line(walk.parseCommit(id));
        } catch (org.eclipse.jgit.errors.MissingObjectException e) {
            return id.abbreviate(7).name();
        }
    }
}
