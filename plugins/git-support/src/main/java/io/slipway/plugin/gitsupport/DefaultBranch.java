package io.slipway.plugin.gitsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A repository's default branch, the one releases are made from unless they are backports: the
 * branch {@code origin}'s HEAD names ({@code refs/remotes/origin/HEAD}, which {@code git clone}
 * writes and {@code git remote set-head origin --auto} refreshes). Checkouts without it (CI
 * checkouts often fetch without cloning) get {@code main}, or {@code master} when the repository
 * has that and no {@code main}, so a master-based project is not taken for a backport.
 */
public final class DefaultBranch {

    private static final String REMOTE_HEAD = Constants.R_REMOTES + "origin/" + Constants.HEAD;

    private DefaultBranch() {
    }

    /** The default branch of the repository at or above {@code dir}; {@code main} outside git. */
    public static String of(Path dir) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toFile());
        if (builder.getGitDir() == null) {
            return "main";
        }
        try (Repository repo = builder.build()) {
            Ref head = repo.exactRef(REMOTE_HEAD);
            if (head != null && head.isSymbolic()) {
                return head.getTarget().getName().substring((Constants.R_REMOTES + "origin/").length());
            }
            boolean main = has(repo, "main");
            return !main && has(repo, "master") ? "master" : "main";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + REMOTE_HEAD + " of " + builder.getGitDir(), e);
        }
    }

    private static boolean has(Repository repo, String branch) throws IOException {
        return repo.exactRef(Constants.R_HEADS + branch) != null || repo.exactRef(Constants.R_REMOTES + "origin/" + branch) != null;
    }
}
