package io.slipway.plugin.gitsupport;

import io.slipway.spi.StepException;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Opening the release's repository and naming remote failures the same way in every step. */
public final class Repositories {

    private Repositories() {
    }

    /** The repository containing {@code workspace} (it may be a subdirectory of the work tree). */
    public static Git open(Path workspace) throws StepException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(workspace.toFile());
        if (builder.getGitDir() == null) {
            throw new StepException("no git repository at or above '" + workspace + "'",
                    "run the release from inside a clone of the project");
        }
        try {
            return Git.open(builder.getGitDir());
        } catch (IOException e) {
            throw new StepException("cannot open the git repository '" + builder.getGitDir() + "': " + e.getMessage(),
                    "check that the repository is not damaged (git fsck)", e);
        }
    }

    /** Fails unless {@code remote} is configured, so a typo is not reported as a network error. */
    public static void requireRemote(Repository repo, String remote) throws StepException {
        StoredConfig config = repo.getConfig();
        if (config.getString("remote", remote, "url") == null) {
            throw new StepException("the repository has no remote '" + remote + "' (remotes: "
                    + config.getSubsections("remote") + ")",
                    "set the step's 'remote' input to one of them, or add it with git remote add");
        }
    }

    /** A failure to reach the remote, with the hint that fixes most of them. */
    public static StepException unreachable(String what, String remote, Exception cause) {
        return new StepException(what + " '" + remote + "' failed: " + cause.getMessage(),
                "check the network and your credentials: for HTTPS set the token variable named by the step's"
                        + " 'token-env' input (default GITHUB_TOKEN) or ~/.netrc; for SSH put your key in ~/.ssh"
                        + " and the host in ~/.ssh/known_hosts", cause);
    }
}
