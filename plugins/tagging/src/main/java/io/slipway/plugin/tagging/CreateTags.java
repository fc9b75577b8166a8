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
     * The commit to tag and where each tag points locally now: a run that failed removes the tags it
     * created, and a commit made since (a fix) moves what must be tagged; either makes the step stale.
     */
    @Override
    public String state(StepContext ctx) throws Exception {
        try (Git git = Repositories.open(ctx.workspace())) {
            ReleaseTags tags = ReleaseTags.of(ctx, git);
            StringBuilder state = new StringBuilder("commit " + tags.commit().name() + "\n");
            for (String name : tags.names()) {
                state.append(name).append(' ').append(tags.localTarget(name).map(c -> c.name()).orElse("absent")).append('\n');
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
