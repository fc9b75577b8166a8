package io.slipway.plugin.githygiene;

import io.slipway.plugin.gitsupport.Repositories;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.pf4j.Extension;

/**
 * Records the commit the artifacts were built from, right after the build: HEAD, with nothing
 * uncommitted that the build could have picked up. The release's tag names this commit, and the
 * publish job refuses to upload when HEAD has moved away from it.
 */
@Extension
public class BuiltFrom implements StepType {

    @Override
    public String id() {
        return "git-hygiene/built-from";
    }

    @Override
    public String description() {
        return "Records the commit the artifacts were built from (HEAD, clean tree) for the tag and the publish checks.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of();
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(new OutputSpec("commit", InputType.STRING, "the commit the artifacts were built from (full sha)"));
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        try (Git git = Repositories.open(ctx.workspace())) {
            Repository repo = git.getRepository();
            List<String> dirty = History.dirtyFiles(git);
            if (!dirty.isEmpty()) {
                throw new StepException("the working tree has changes the artifacts may contain but no commit holds: "
                        + String.join(", ", dirty.subList(0, Math.min(dirty.size(), 20))) + (dirty.size() > 20 ? ", …" : ""),
                        "commit them (or revert them) and build again: run the same command with --from build/python-build");
            }
            ObjectId head = repo.resolve(Constants.HEAD);
            ctx.output("commit", head.name());
            return StepResult.success("built from " + History.describe(repo, head));
        }
    }
}
