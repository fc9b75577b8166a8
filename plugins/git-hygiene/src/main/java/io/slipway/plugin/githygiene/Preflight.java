package io.slipway.plugin.githygiene;

import io.slipway.plugin.gitsupport.RemoteAccess;
import io.slipway.plugin.gitsupport.Repositories;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepJournal;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.AddCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.RmCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.UserConfig;
import org.eclipse.jgit.lib.RepositoryState;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.pf4j.Extension;

/**
 * The repository checks before a release changes anything (seed: "syncs with origin/main,
 * enforces a clean working tree, auto-committing allowed fixture/VERSION changes"). One step,
 * because the checks only make sense together and in this order: branch, dirty files, remote,
 * then the auto-commit (so that commit does not count as "ahead" of the remote).
 */
@Extension
public class Preflight implements StepType {

    /** Journal fact: the release-tag check passed once in this release. */
    private static final String TAGS_CHECKED = "tags-checked";
    /** Journal fact: the HEAD an auto-commit was made on, written before committing. */
    static final String AUTO_COMMIT_PARENT = "auto-commit-parent";
    /** Journal fact: the files the auto-commit contains, one per line. */
    static final String AUTO_COMMIT_FILES = "auto-commit-files";
    /** Most commits listed in {@code commits-since-tag} (a repository without a release tag lists its history). */
    static final int MAX_COMMITS = 500;

    @Override
    public String id() {
        return "git-hygiene";
    }

    @Override
    public String description() {
        return "Checks the branch, a clean working tree (auto-committing allowed paths) and that it is in sync with the remote.";
    }

    @Override
    public List<InputSpec> inputs() {
        List<InputSpec> inputs = new ArrayList<>(List.of(
                InputSpec.optional("branch", InputType.STRING, "main", "the branch a release must run on"),
                InputSpec.optional("allow", InputType.LIST, List.of(),
                        "glob paths (e.g. VERSION, fixtures/*.json) whose changes are committed instead of failing"),
                InputSpec.optional("commit-message", InputType.STRING, "release: commit allowed changes for {version}",
                        "message of that commit; {version} is replaced"),
                InputSpec.optional("allow-ahead", InputType.BOOLEAN, false,
                        "accept local commits that are not on the remote yet (they are pushed with the tag)"),
                InputSpec.optional("tags", InputType.LIST, List.of(),
                        "the tags this release will create: each must not exist yet, here or on the remote, at another commit"),
                InputSpec.optional("tag-pattern", InputType.STRING, "v*",
                        "glob matching release tag names, to list the commits since the last release")));
        inputs.addAll(RemoteAccess.INPUTS);
        return inputs;
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(
                new OutputSpec("branch", InputType.STRING, "the current branch"),
                new OutputSpec("head", InputType.STRING, "the HEAD commit after the checks (full sha)"),
                new OutputSpec("remote-head", InputType.STRING, "the remote branch's commit when the release began (full sha)"),
                new OutputSpec("last-tag", InputType.STRING, "the last release tag before HEAD, or empty"),
                new OutputSpec("commits-since-tag", InputType.LIST, "\"<sha> <subject>\" for each commit since that tag, newest first"),
                new OutputSpec("committed", InputType.LIST, "the allow-listed files the step committed"));
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        String expected = ctx.string("branch");
        String remote = ctx.string("remote");
        try (Git git = Repositories.open(ctx.workspace()); RemoteAccess access = RemoteAccess.of(ctx)) {
            Repository repo = git.getRepository();
            String branch = requireBranch(repo, expected);
            requireIdentity(repo);
            String message = ctx.string("commit-message").replace("{version}", ctx.version());
            List<String> dirty = History.dirtyFiles(git);
            List<String> allowed = allowed(dirty, ctx.list("allow"));
            List<String> blocked = dirty.stream().filter(f -> !allowed.contains(f)).toList();
            if (!blocked.isEmpty()) {
                throw new StepException("the working tree has " + blocked.size() + " changed file(s) outside the allow-list: "
                        + String.join(", ", blocked.subList(0, Math.min(blocked.size(), 20)))
                        + (blocked.size() > 20 ? ", …" : ""),
                        "commit or stash them, or add their paths to the step's 'allow' input");
            }

            ObjectId head = repo.resolve(Constants.HEAD);
            Optional<RevCommit> earlier = earlierAutoCommit(repo, ctx.journal(), head, message);
            // The remote is compared with the HEAD the user had, not with this step's own commit.
            ObjectId base = earlier.map(c -> (ObjectId) c.getParent(0)).orElse(head);
            ObjectId remoteHead = History.fetchBranch(git, access, remote, branch);
            compare(repo, branch, remote, base, remoteHead, ctx.bool("allow-ahead"), ctx.version());
            // A tag at HEAD is this release's own only if an earlier attempt of this step passed (a resumed release
            // that tagged since); at the first attempt someone made it before the release began.
            boolean resumed = ctx.journal().get(TAGS_CHECKED).isPresent();
            FreeTags.require(git, access, remote, resumed ? head : null, ctx.list("tags"),
                    resumed ? "this release would tag a new commit" : "it was made before this release began",
                    "release another version");
            ctx.journal().put(TAGS_CHECKED, "yes");

            List<String> committed = earlier.isPresent()
                    ? ctx.journal().get(AUTO_COMMIT_FILES).map(f -> f.lines().toList()).orElse(List.of())
                    : List.of();
            if (!allowed.isEmpty()) {
                if (ctx.dryRun()) {
                    ctx.log().info("dry run: would commit " + String.join(", ", allowed) + " (\"" + message + "\")");
                } else {
                    head = autoCommit(git, ctx.journal(), head, allowed, message);
                    committed = allowed;
                    ctx.log().info("committed allow-listed changes " + String.join(", ", allowed) + " as "
                            + head.abbreviate(7).name());
                }
            }

            Optional<History.Tag> tag = History.lastReleaseTag(repo, head, ctx.string("tag-pattern"));
            List<String> since = History.lines(History.between(repo, tag.map(History.Tag::commit).orElse(null), head, MAX_COMMITS));
            ctx.output("branch", branch);
            ctx.output("head", head.name());
            ctx.output("remote-head", remoteHead.name());
            ctx.output("last-tag", tag.map(History.Tag::name).orElse(""));
            ctx.output("commits-since-tag", since);
            ctx.output("committed", committed);
            return StepResult.success(branch + " at " + head.abbreviate(7).name() + ", in sync with " + remote + "/" + branch
                    + ", " + since.size() + " commit(s) since " + tag.map(History.Tag::name).orElse("the first commit"));
        }
    }

    private static String requireBranch(Repository repo, String expected) throws StepException, IOException {
        Ref head = repo.exactRef(Constants.HEAD);
        if (head == null || head.getObjectId() == null) {
            throw new StepException("the repository has no commits yet", "commit the project before releasing it");
        }
        if (repo.getRepositoryState() != RepositoryState.SAFE) {
            throw new StepException("the repository is in the middle of an operation ("
                    + repo.getRepositoryState().name().toLowerCase().replace('_', ' ') + ")",
                    "finish it or abort it (git merge --abort, git rebase --abort, git cherry-pick --abort)");
        }
        if (!head.isSymbolic()) {
            throw new StepException("HEAD is detached at " + head.getObjectId().abbreviate(7).name() + ", not on a branch",
                    "switch to the release branch: git switch " + expected);
        }
        String branch = Repository.shortenRefName(head.getTarget().getName());
        if (!branch.equals(expected)) {
            throw new StepException("the current branch is '" + branch + "', the release runs on '" + expected + "'",
                    "git switch " + expected + ", or set the step's 'branch' input");
        }
        return branch;
    }

    /**
     * git refuses to commit or tag without a user.name and user.email; JGit makes one up (the system user at
     * this host, e.g. root@localhost) and the release commit and tags went to the remote under it. In CI,
     * where nobody configured git, that was the usual case. Checked here, before anything changes.
     */
    private static void requireIdentity(Repository repo) throws StepException {
        UserConfig user = repo.getConfig().get(UserConfig.KEY);
        List<String> missing = new ArrayList<>();
        if (user.isAuthorNameImplicit() || user.isCommitterNameImplicit()) {
            missing.add("user.name");
        }
        if (user.isAuthorEmailImplicit() || user.isCommitterEmailImplicit()) {
            missing.add("user.email");
        }
        if (!missing.isEmpty()) {
            throw new StepException("git has no " + String.join(" and no ", missing) + " here to make the release commit and tags"
                    + " with (it would make up \"" + user.getCommitterName() + " <" + user.getCommitterEmail() + ">\")",
                    "set them in the repository or globally (git config --global user.name \"Release Bot\"; git config --global"
                            + " user.email bot@example.org), or give GIT_AUTHOR_NAME, GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME and"
                            + " GIT_COMMITTER_EMAIL; then run again");
        }
    }

    private static List<String> allowed(List<String> files, List<String> globs) {
        List<PathMatcher> matchers = globs.stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        return files.stream().filter(f -> matchers.stream().anyMatch(m -> m.matches(Path.of(f)))).toList();
    }

    /**
     * HEAD, if it is the commit an earlier attempt of this step made (the run crashed after it):
     * its only parent is the journaled one and it carries this step's message.
     */
    private static Optional<RevCommit> earlierAutoCommit(Repository repo, StepJournal journal, ObjectId head, String message)
            throws IOException {
        Optional<String> parent = journal.get(AUTO_COMMIT_PARENT);
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(head);
            boolean ours = commit.getParentCount() == 1 && commit.getParent(0).name().equals(parent.get())
                    && commit.getFullMessage().strip().equals(message.strip());
            return ours ? Optional.of(commit) : Optional.empty();
        }
    }

    private static void compare(Repository repo, String branch, String remote, ObjectId local, ObjectId remoteHead,
                                boolean allowAhead, String version) throws IOException, StepException {
        String tracking = remote + "/" + branch;
        List<RevCommit> behind = History.between(repo, local, remoteHead, Integer.MAX_VALUE);
        List<RevCommit> ahead = History.between(repo, remoteHead, local, Integer.MAX_VALUE);
        if (!behind.isEmpty() && !ahead.isEmpty()) {
            throw new StepException(branch + " has diverged from " + tracking + ": " + ahead.size()
                    + " local commit(s) are not on the remote and " + behind.size() + " remote commit(s) are not here:"
                    + History.shown(behind),
                    "rebase on the remote (git pull --rebase " + remote + " " + branch + "), check the result, push, and start the release again");
        }
        if (!behind.isEmpty()) {
            throw new StepException(branch + " is " + behind.size() + " commit(s) behind " + tracking + ":" + History.shown(behind),
                    "pull them (git pull --ff-only " + remote + " " + branch + ") and start the release again");
        }
        if (!ahead.isEmpty() && !allowAhead) {
            // Pushing a commit an earlier run of this very release made would publish a release commit for nothing.
            Pattern named = Pattern.compile("(?<![\\w.])v?" + Pattern.quote(version) + "(?!\\w|[.+-]\\w)");
            Optional<RevCommit> earlierRun = ahead.stream().filter(c -> named.matcher(c.getShortMessage()).find()).findFirst();
            throw new StepException(branch + " is " + ahead.size() + " commit(s) ahead of " + tracking + " (not pushed):"
                    + History.shown(ahead), earlierRun.map(c -> History.line(c) + " looks like the commit of an earlier run of this"
                            + " release: undo that run with runner abandon (the same script, --version and --set options), or take"
                            + " the commit off (git reset --keep " + tracking + "); if it is work of your own, push it (git push "
                            + remote + " " + branch + ")")
                    .orElse("push them (git push " + remote + " " + branch + "), or set the step's 'allow-ahead' input to true"
                            + " to release them and push them with the tag"));
        }
    }

    /** Stages exactly the allowed files (additions, changes and deletions) and commits them. */
    private static ObjectId autoCommit(Git git, StepJournal journal, ObjectId head, List<String> files, String message)
            throws GitAPIException {
        journal.put(AUTO_COMMIT_PARENT, head.name());
        journal.put(AUTO_COMMIT_FILES, String.join("\n", files));
        Path root = git.getRepository().getWorkTree().toPath();
        AddCommand add = git.add();
        RmCommand rm = git.rm().setCached(true);
        boolean adds = false;
        boolean removes = false;
        for (String f : files) {
            if (root.resolve(f).toFile().exists()) {
                add.addFilepattern(f);
                adds = true;
            } else {
                rm.addFilepattern(f);
                removes = true;
            }
        }
        if (adds) {
            add.call();
        }
        if (removes) {
            rm.call();
        }
        return git.commit().setMessage(message).call().getId();
    }
}
