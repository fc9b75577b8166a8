package io.slipway.plugin.gitsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Git's lock files ({@code HEAD.lock}, {@code index.lock}, {@code refs/heads/main.lock}, ...). Git
 * and JGit write a file by creating its {@code .lock} and renaming it; a process killed in between
 * leaves the lock, and every later write of that file fails on it.
 */
public final class GitLocks {

    private GitLocks() {
    }

    /** The lock files at the top of the git dir of the repository containing {@code workspace}, and under its refs/ and logs/; none outside a repository. */
    public static List<Path> in(Path workspace) throws IOException {
        java.io.File gitDir = new FileRepositoryBuilder().findGitDir(workspace.toFile()).getGitDir();
        List<Path> locks = new ArrayList<>();
        if (gitDir == null) {
            return locks;
        }
        Path git = gitDir.toPath();
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
        return locks;
    }

    private static boolean isLock(Path p) {
        return p.getFileName().toString().endsWith(".lock") && Files.isRegularFile(p);
    }
}
