package io.slipway.plugin.tagging;

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
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.RefSpec;
import org.pf4j.Extension;

/**
 * Tags the release (if {@code tagging/create} has not already) and pushes the branch's commits and
 * the tags to the remote in one atomic push. Placed after the uploads, so a failed upload never
 * leaves a pushed tag behind.
 */
@Extension
public class TagAndPush implements StepType {

    @Override
    public String id() {
        return "tagging";
    }

    @Override
    public String description() {
        return "Creates the release's annotated tags if needed and pushes the branch and the tags to the remote, atomically.";
    }

    @Override
    public List<InputSpec> inputs() {
        List<InputSpec> inputs = new ArrayList<>(ReleaseTags.INPUTS);
        inputs.add(InputSpec.optional("push-branch", InputType.BOOLEAN, true,
                "push the current branch's commits too (release commits made by earlier steps)"));
        return inputs;
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(
                new OutputSpec("tags", InputType.LIST, "the tag names, now on the remote"),
                new OutputSpec("commit", InputType.STRING, "the commit they mark (full sha)"));
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        String remote = ctx.string("remote");
        try (Git git = Repositories.open(ctx.workspace()); RemoteAccess access = RemoteAccess.of(ctx)) {
            ReleaseTags tags = ReleaseTags.of(ctx, git);
            Map<String, ObjectId> onRemote = tags.prepare(ctx, access, remote).onRemote();

            List<RefSpec> specs = new ArrayList<>();
            if (ctx.bool("push-branch")) {
                specs.add(branchSpec(git));
            }
            List<String> missing = tags.names().stream().filter(n -> !onRemote.containsKey(n)).toList();
            missing.forEach(n -> specs.add(new RefSpec(Constants.R_TAGS + n + ":" + Constants.R_TAGS + n)));
            List<String> tagsThere = onRemote.keySet().stream().map(n -> Constants.R_TAGS + n).toList();
            if (specs.isEmpty()) {
                // With no refspec JGit would push the configured default instead of nothing.
                return StepResult.success(new Push.Report(remote, List.of(), tagsThere).summary());
            }

            Push push = new Push(git, access, remote, ctx.log());
            if (ctx.dryRun()) {
                return StepResult.success("dry run: " + push.rehearse(specs));
            }
            ctx.journal().put("push", "started: " + Push.names(specs));
            Push.Report report = push.run(specs).alsoThere(tagsThere);
            for (String name : missing) {
                ctx.journal().put("tag:" + name, ReleaseTags.PUSHED + tags.commit().name());
            }
            ctx.journal().put("push", "done: " + report.summary());
            return StepResult.success(report.summary());
        }
    }

    /** A push that started may have reached the remote, whether or not it was journaled as done. */
    @Override
    public List<String> published(StepContext ctx) {
        return ctx.journal().get("push").map(p -> p.startsWith("done: ") ? p.substring("done: ".length())
                : "a push of " + p.substring("started: ".length()) + " to " + ctx.string("remote") + " started; it may have reached it")
                .map(List::of).orElse(List.of());
    }

    private static RefSpec branchSpec(Git git) throws Exception {
        Ref head = git.getRepository().exactRef(Constants.HEAD);
        if (head == null || !head.isSymbolic()) {
            throw new StepException("HEAD is not on a branch, so there is no branch to push",
                    "switch to the release branch, or set the step's 'push-branch' input to false");
        }
        String branch = head.getTarget().getName();
        return new RefSpec(branch + ":" + branch);
    }
}
