package io.slipway.plugin.githygiene;

import io.slipway.plugin.gitsupport.Repositories;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.pf4j.Extension;

/**
 * Records the commit the artifacts were built from, right after the build: HEAD, with nothing
 * uncommitted that the build could have picked up. The release's tag names this commit, and the
 * publish job refuses to upload when HEAD has moved away from it.
 *
 * <p>A dry run commits nothing, so its build takes the release's own edits (the new version, the
 * changelog section) from the working tree: there, and only there, the files named in {@code
 * release-edits} may differ from HEAD, and the summary says that the artifacts are HEAD plus them.
 * Any other change is refused as in a real run. A real run has committed those files before the
 * build, so the input changes nothing there.
 */
@Extension
public class BuiltFrom implements StepType {

    private static final int SHOWN = 20;

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
        return List.of(InputSpec.optional("release-edits", InputType.LIST, List.of(),
                "the files the release's own steps edited, workspace-relative (the fixture steps' changed outputs, as"
                        + " fixtures/commit takes them): a dry run leaves them uncommitted and builds them as they are,"
                        + " so there they may differ from HEAD; a real run has committed them"));
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
            Set<String> edits = ctx.dryRun() ? releaseEdits(ctx, repo) : Set.of();
            List<String> uncommittedEdits = dirty.stream().filter(edits::contains).toList();
            List<String> foreign = dirty.stream().filter(f -> !edits.contains(f)).toList();
            if (!foreign.isEmpty()) {
                throw new StepException("the working tree has changes the artifacts may contain but no commit holds"
                        + (ctx.dryRun() && !edits.isEmpty() ? " and the release did not make: " : ": ") + shown(foreign),
                        ctx.dryRun() ? dryRunHint(edits.isEmpty())
                                : "commit them (or revert them) and build again: run the same command with --from build/python-build");
            }
            ObjectId head = repo.resolve(Constants.HEAD);
            ctx.output("commit", head.name());
            String at = History.describe(repo, head);
            if (!uncommittedEdits.isEmpty()) {
                ctx.log().info("dry run: nothing was committed, so the artifacts hold the release's edits as the working tree has"
                        + " them: " + String.join(", ", uncommittedEdits));
                return StepResult.success("dry run: built from " + at + " plus the release's uncommitted edits: "
                        + some(uncommittedEdits));
            }
            return StepResult.success("built from " + at);
        }
    }

    /** The release-edits input as paths relative to the repository's top, as git status names them. */
    private static Set<String> releaseEdits(StepContext ctx, Repository repo) throws IOException {
        Path root = repo.getWorkTree().toPath().toRealPath();
        Path workspace = ctx.workspace().toRealPath();
        Set<String> paths = new LinkedHashSet<>();
        for (String f : ctx.list("release-edits")) {
            Path abs = workspace.resolve(f).normalize();
            if (abs.startsWith(root)) {
                paths.add(root.relativize(abs).toString().replace('\\', '/'));
            }
        }
        return paths;
    }

    /**
     * A dry run commits nothing, so committing and resuming with {@code --from} (a real run's way on)
     * is no advice there: the files were written during the run, by something other than the release's edits.
     */
    private static String dryRunHint(boolean noEditsGiven) {
        return (noEditsGiven
                ? "a dry run commits nothing, so its build takes the release's own edits from the working tree: if the"
                        + " release's steps made these, name them in this step's release-edits input (the changed outputs"
                        + " that fixtures/commit takes); otherwise "
                : "they were written during the dry run (by the tests, the build, or by hand): ")
                + "make the step that writes them leave the tree alone, or git-ignore what it writes, put the files back"
                + " as they were, and run the same command again";
    }

    /** The first few names and how many more, for a one-line summary. */
    private static String some(List<String> files) {
        List<String> first = files.subList(0, Math.min(files.size(), 3));
        return String.join(", ", first) + (files.size() > first.size() ? " and " + (files.size() - first.size()) + " more" : "");
    }

    private static String shown(List<String> files) {
        return String.join(", ", files.subList(0, Math.min(files.size(), SHOWN))) + (files.size() > SHOWN ? ", …" : "");
    }
}
