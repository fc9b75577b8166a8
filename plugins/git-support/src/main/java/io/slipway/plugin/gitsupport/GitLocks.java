package io.slipway.plugin.gitsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;

/**
 * Git's lock files ({@code HEAD.lock}, {@code index.lock}, {@code refs/heads/main.lock}, ...). Git
 * and JGit write a file by creating its {@code .lock} and renaming it; a process killed in between
 * leaves the lock, and every later write of that file fails on it.
 */
public final class GitLocks {

    private GitLocks() {
    }

    /**
     * The lock files at the top of the git dir of the repository containing {@code workspace}, and
     * under its refs/ and logs/; then the same in each of its remotes that is a repository on this
     * machine (a path or file:// URL), which a push writes in-process; none outside a repository.
     */
    public static List<Path> in(Path workspace) throws IOException {
        java.io.File gitDir = new FileRepositoryBuilder().findGitDir(workspace.toFile()).getGitDir();
        List<Path> locks = new ArrayList<>();
        if (gitDir == null) {
            return locks;
        }
        addLocks(gitDir.toPath(), locks);
        try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir).build()) {
            Path top = repo.isBare() ? gitDir.toPath() : repo.getWorkTree().toPath();
            for (RemoteConfig remote : RemoteConfig.getAllRemoteConfigs(repo.getConfig())) {
                List<URIish> uris = new ArrayList<>(remote.getURIs());
                uris.addAll(remote.getPushURIs());
                for (URIish uri : uris) {
                    if (uri.getHost() == null && (uri.getScheme() == null || "file".equals(uri.getScheme()))) {
                        java.io.File remoteGitDir = RepositoryCache.FileKey.resolve(top.resolve(uri.getPath()).toFile(), FS.DETECTED);
                        if (remoteGitDir != null && !remoteGitDir.equals(gitDir)) {
                            addLocks(remoteGitDir.toPath(), locks);
                        }
                    }
                }
            }
        } catch (java.net.URISyntaxException e) {
            throw new IOException("a remote's URL cannot be read: " + e.getMessage(), e);
        }
        return locks.stream().distinct().toList();
    }

    private static void addLocks(Path git, List<Path> locks) throws IOException {
        try (Stream<Path> top = Files.list(git)) {
            top.filter(GitLocks::isLock).forEach(locks::add);
        }
        for (String sub : List.of("refs", "logs")) {
            Path dir = git.resolve(sub);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(GitLocks::isLock).forEach(locks::add);
                }
            }
        }
    }

    private static boolean isLock(Path p) {
        return p.getFileName().toString().endsWith(".lock") && Files.isRegularFile(p);
    }
}
