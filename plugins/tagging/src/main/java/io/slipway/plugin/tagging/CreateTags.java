package io.slipway.plugin.tagging;

import io.slipway.plugin.gitsupport.RemoteAccess;
import io.slipway.plugin.gitsupport.Repositories;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.pf4j.Extension;

/**
 * Creates the release's annotated tags locally, without pushing: for builds that take their
 * version from the tag (setuptools-scm, hatch-vcs), which must see it before the upload, while the
 * push waits until the upload succeeded ({@code tagging}).
 */
@Extension
public class CreateTags implements StepType {

    @Override
    public String id() {
        return "tagging/create";
    }

    @Override
    public String description() {
        return "Creates the release's annotated tags locally (removed again if the run fails before they are pushed).";
    }

    @Override
    public List<InputSpec> inputs() {
        return ReleaseTags.INPUTS;
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(
                new OutputSpec("tags", InputType.LIST, "the tag names"),
                new OutputSpec("commit", InputType.STRING, "the commit they mark (full sha)"));
    }

    /**
     * Which of the tags exist locally: a run that fails removes the tags it created, and the step is
     * then stale, so the next run tags again (the commit being released, a fix if one was committed)
     * and the build after it runs again. Where a tag points is not part of it: after a finished
     * release, new commits must not make the step tag again.
     */
    @Override
    public String state(StepContext ctx) throws Exception {
        try (Git git = Repositories.open(ctx.workspace())) {
            ReleaseTags tags = ReleaseTags.of(ctx, git);
            StringBuilder state = new StringBuilder();
            for (String name : tags.names()) {
                state.append(name).append(tags.localTarget(name).isPresent() ? " present\n" : " absent\n");
            }
            return state.toString();
        }
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        String remote = ctx.string("remote");
        try (Git git = Repositories.open(ctx.workspace()); RemoteAccess access = RemoteAccess.of(ctx)) {
            ReleaseTags tags = ReleaseTags.of(ctx, git);
            List<String> owned = tags.prepare(ctx, access, remote).owned();
            String names = String.join(", ", tags.names());
            return StepResult.success((owned.isEmpty() ? "already tagged " : "tagged ") + names + " at "
                    + ReleaseTags.describe(tags.commit()));
        }
    }
}
