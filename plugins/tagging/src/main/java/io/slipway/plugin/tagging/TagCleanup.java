package io.slipway.plugin.tagging;

import io.slipway.plugin.gitsupport.RemoteAccess;
import io.slipway.plugin.gitsupport.Repositories;
import io.slipway.spi.PipelineEnd;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepJournal;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Removes the local tags a step created when the run does not end well, so that no tag of an
 * unpublished release is left for a later {@code git push --tags} to publish. A tag the remote
 * already has at the same commit stays (the release is published). Every decision is journaled.
 *
 * <p>After {@code kill -9} no hook runs; the journal then still says "created locally, not pushed"
 * and the step's next attempt takes the tag over again while it marks the commit being released;
 * at another commit (a fix committed since) it is refused with the hint to delete it.
 */
final class TagCleanup implements PipelineEnd {

    private final StepContext ctx;
    private final List<String> owned;
    private final ObjectId commit;
    private final String remote;

    TagCleanup(StepContext ctx, List<String> owned, ObjectId commit) {
        this.ctx = ctx;
        this.owned = List.copyOf(owned);
        this.commit = commit.copy();
        this.remote = ctx.string("remote");
    }

    @Override
    public void onEnd(Outcome outcome) throws Exception {
        boolean dryRun = ctx.dryRun();
        if (!dryRun && outcome != Outcome.FAILED && outcome != Outcome.CANCELLED) {
            return;
        }
        StepJournal journal = ctx.journal();
        try (Git git = Repositories.open(ctx.workspace()); RemoteAccess access = RemoteAccess.of(ctx)) {
            Map<String, ObjectId> onRemote = dryRun ? Map.of() : remoteTagsOrNone(git, access);
            for (String name : owned) {
                String key = "tag:" + name;
                if (journal.get(key).orElse("").startsWith(ReleaseTags.PUSHED) || commit.equals(onRemote.get(name))) {
                    journal.put(key, ReleaseTags.PUSHED + commit.name() + ", kept");
                    continue;
                }
                ObjectId target = git.getRepository().resolve(Constants.R_TAGS + name + "^{commit}");
                if (target == null) {
                    continue;
                }
                if (!commit.equals(target)) {
                    ctx.log().warn("left tag " + name + " alone: it no longer marks " + commit.abbreviate(7).name());
                    continue;
                }
                git.tagDelete().setTags(name).call();
                String why = (dryRun ? "the dry run ended " : "the run ended ") + outcome.name().toLowerCase();
                journal.put(key, "removed locally, never pushed: " + why);
                ctx.log().info("removed local tag " + name + " (" + why + " before it was pushed)");
            }
        }
    }

    /** The remote's tags; none when it cannot be reached, so the tags are removed (the safe side). */
    private Map<String, ObjectId> remoteTagsOrNone(Git git, RemoteAccess access) {
        try {
            return ReleaseTags.remoteTags(git, access, remote);
        } catch (StepException e) {
            ctx.log().warn("could not ask " + remote + " which tags it has (" + e.getMessage() + "); removing the local ones");
            return Map.of();
        }
    }
}
