package io.slipway.plugin.githygiene;

import io.slipway.plugin.gitsupport.RemoteAccess;
import io.slipway.plugin.gitsupport.Repositories;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.pf4j.Extension;

/**
 * Re-validates, later in the run, that the remote branch is where it was when the release began
 * (seed step 4: "re-validates that origin/main is unchanged"). The expected commit is the
 * {@code remote-head} output of the {@code git-hygiene} step. With {@code built-from}, HEAD must still
 * be the commit that was built, and the release's {@code tags} free for it ({@link FreeTags}).
 */
@Extension
public class RemoteUnchanged implements StepType {

    /**
     * Nothing is published yet, but the release's own commit is on the branch: pulling first would put
     * it under the new commits (a rebase) or beside them, where neither abandon nor --restart can take it off.
     */
    private static final String UNDO_FIRST = "undo this release with runner abandon (the same script, --version and --set"
            + " options; it puts the branch and the files back where the release began)";

    @Override
    public String id() {
        return "git-hygiene/remote-unchanged";
    }

    @Override
    public String description() {
        return "Fails if the remote branch moved since the release began, naming the new commits.";
    }

    @Override
    public List<InputSpec> inputs() {
        List<InputSpec> inputs = new ArrayList<>(List.of(
                InputSpec.required("expected", InputType.STRING,
                        "the remote branch's commit when the release began: output(\"preflight/git-hygiene\", \"remote-head\")"),
                InputSpec.optional("branch", InputType.STRING, "main", "the remote branch to check"),
                InputSpec.optional("built-from", InputType.STRING, null,
                        "the commit the artifacts were built from: HEAD must still be there (output(\"build/built-from\", \"commit\"))"),
                InputSpec.optional("tags", InputType.LIST, List.of(),
                        "the tags the release will make at built-from: each must not exist yet, here or on the remote, at another commit")));
        inputs.addAll(RemoteAccess.INPUTS);
        return inputs;
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(new OutputSpec("remote-head", InputType.STRING, "the remote branch's commit now (full sha)"));
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        String remote = ctx.string("remote");
        String branch = ctx.string("branch");
        String tracking = remote + "/" + branch;
        try (Git git = Repositories.open(ctx.workspace()); RemoteAccess access = RemoteAccess.of(ctx)) {
            Repository repo = git.getRepository();
            requireHeadAtBuild(repo, ctx.optionalString("built-from"), ctx.dryRun());
            if (ctx.optionalString("built-from").isPresent()) {
                ObjectId built = resolveExpected(repo, ctx.string("built-from"));
                FreeTags.require(git, access, remote, built, ctx.list("tags"), "this release tags "
                        + History.describe(repo, built) + ", the commit it built",
                        ctx.dryRun() ? "release another version" : UNDO_FIRST + ", then release another version");
            }
            ObjectId expected = resolveExpected(repo, ctx.string("expected"));
            ObjectId now = History.fetchBranch(git, access, remote, branch);
            ctx.output("remote-head", now.name());
            if (now.equals(expected)) {
                return StepResult.success(tracking + " unchanged at " + now.abbreviate(7).name());
            }
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit was = walk.parseCommit(expected);
                RevCommit is = walk.parseCommit(now);
                if (!walk.isMergedInto(was, is)) {
                    throw new StepException(tracking + " was rewritten since the release began: it was at "
                            + was.abbreviate(7).name() + ", it is now at " + History.line(is),
                            "find out who force-pushed and why; then " + (ctx.dryRun() ? "pull" : UNDO_FIRST + ", pull")
                                    + " and run the " + (ctx.dryRun() ? "same command" : "release") + " again");
                }
                RevCommit head = walk.parseCommit(repo.resolve(Constants.HEAD));
                if (walk.isMergedInto(is, head)) {
                    // Only commits this clone already has, e.g. the ones this release pushed itself.
                    return StepResult.success(tracking + " moved to " + is.abbreviate(7).name() + ", which HEAD already contains");
                }
            }
            List<RevCommit> added = History.between(repo, expected, now, Integer.MAX_VALUE);
            throw new StepException(tracking + " moved since the release began: " + added.size() + " new commit(s):"
                    + History.shown(added),
                    (ctx.dryRun() ? "pull them (git pull --rebase " + remote + " " + branch + ") and run the same command again"
                            : UNDO_FIRST + ", then pull them (git pull --rebase " + remote + " " + branch + ") and run the release again")
                            + ", so it is built from them");
        }
    }

    /**
     * What is uploaded must be what gets tagged: a commit made after the build (a fix while the release
     * waited for approval) is in neither the artifacts nor, then, the tag. A dry run builds again
     * whenever it runs again (it put the release's edits back), so there it needs no {@code --from}.
     */
    private static void requireHeadAtBuild(Repository repo, java.util.Optional<String> builtFrom, boolean dryRun)
            throws StepException, java.io.IOException {
        if (builtFrom.isEmpty()) {
            return;
        }
        ObjectId built = resolveExpected(repo, builtFrom.get());
        ObjectId head = repo.resolve(Constants.HEAD);
        if (!built.equals(head)) {
            String moveOut = "move the commit out of the release branch (git reset --keep " + built.abbreviate(7).name()
                    + ") and run the same command again";
            throw new StepException("HEAD moved after the build: the artifacts were built from " + History.describe(repo, built)
                    + ", HEAD is now " + History.describe(repo, head), dryRun
                    ? "run the same command again: the dry run builds anew, from the new commit; to rehearse what was built, " + moveOut
                    : "to release the new commit, build it: run the same command with --from build/python-build; to release"
                            + " what was built, " + moveOut);
        }
    }

    private static ObjectId resolveExpected(Repository repo, String value) throws StepException, java.io.IOException {
        try {
            ObjectId id = ObjectId.fromString(value.strip());
            if (!repo.getObjectDatabase().has(id)) {
                throw new StepException("the expected commit '" + value + "' is not in this repository",
                        "pass the remote-head output of the git-hygiene step of this release");
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new StepException("the 'expected' input '" + value + "' is not a full commit sha",
                    "pass the remote-head output of the git-hygiene step: output(\"preflight/git-hygiene\", \"remote-head\")", e);
        }
    }
}
