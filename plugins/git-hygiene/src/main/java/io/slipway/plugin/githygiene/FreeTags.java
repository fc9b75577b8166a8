package io.slipway.plugin.githygiene;

import io.slipway.plugin.gitsupport.RemoteAccess;
import io.slipway.plugin.gitsupport.Repositories;
import io.slipway.spi.StepException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * The release's tags must be free: a tag of that name here or on the remote at another commit than
 * the one the release tags would be found by tagging only after the upload, when nothing can be
 * taken back. The preflight checks before anything changes, where a tag at HEAD counts as this
 * release's own only when the release is being resumed (an earlier run of it tagged there);
 * {@code remote-unchanged} checks again against the commit that was built, just before the upload.
 */
final class FreeTags {

    private FreeTags() {
    }

    /**
     * @param target    the commit the tags may already point at (this release's own), or null for none
     * @param otherwise what the release does instead, said after the commit the tag is at
     * @param wayOn     the hint's first way on, e.g. "release another version"
     */
    static void require(Git git, RemoteAccess access, String remote, ObjectId target, List<String> tags, String otherwise,
                        String wayOn) throws IOException, StepException {
        if (tags.isEmpty()) {
            return;
        }
        Repository repo = git.getRepository();
        Map<String, ObjectId> remoteTags = new HashMap<>();
        try {
            for (Ref ref : access.apply(git.lsRemote().setRemote(remote).setTags(true)).call()) {
                remoteTags.put(ref.getName(), ref.getPeeledObjectId() != null ? ref.getPeeledObjectId() : ref.getObjectId());
            }
        } catch (GitAPIException e) {
            throw Repositories.unreachable("listing the tags of", remote, e);
        }
        for (String tag : tags) {
            String name = Constants.R_TAGS + tag;
            Ref local = repo.exactRef(name);
            Map<String, ObjectId> found = new LinkedHashMap<>();
            if (local != null) {
                found.put("in this repository", History.peeled(repo, local));
            }
            if (remoteTags.containsKey(name)) {
                found.put("on " + remote, remoteTags.get(name));
            }
            for (Map.Entry<String, ObjectId> at : found.entrySet()) {
                if (target == null || !at.getValue().equals(target)) {
                    List<String> delete = new ArrayList<>();
                    if (local != null) {
                        delete.add("git tag -d " + tag);
                    }
                    if (remoteTags.containsKey(name)) {
                        delete.add("git push " + remote + " :refs/tags/" + tag);
                    }
                    throw new StepException("the release tag " + tag + " already exists " + at.getKey() + ", at "
                            + History.describe(repo, at.getValue()) + "; " + otherwise,
                            wayOn + "; or, if that tag was made by mistake, delete it ("
                                    + String.join("; ", delete) + ") and run the same command again");
                }
            }
        }
    }
}
