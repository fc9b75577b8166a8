package io.slipway.plugin.pythonbuild;

import io.slipway.python.PackageSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.StatusCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Files a build writes into the package's source tree that were not there before it and that git
 * ignores: the version file of setuptools-scm ({@code version_file}, {@code write_to}) or hatch-vcs
 * ({@code [tool.hatch.build.hooks.vcs] version-file}), generated sources. Like the {@code *.egg-info}
 * setuptools leaves, they are removed again when the build ends, so a release, a dry run and
 * {@code runner abandon} leave the tree as they found it. A new file git does not ignore stays: it
 * may be someone's work, and the release's built-from check names it.
 *
 * <p>The files looked at are those of {@link PackageSources} (not hidden directories, {@code
 * build/}, {@code dist/} ...), less the out dir and other packages nested in this one, whose own
 * builds may be running at the same time.
 */
final class BuildLeftovers {

    private final Path dir;
    private final Set<Path> skipped;
    private final Set<Path> before;

    private BuildLeftovers(Path dir, Set<Path> skipped, Set<Path> before) {
        this.dir = dir;
        this.skipped = skipped;
        this.before = before;
    }

    /** What the package directory holds before the build. */
    static BuildLeftovers before(Path dir, Set<Path> skipped) throws IOException {
        return new BuildLeftovers(dir, Set.copyOf(skipped), PackageSources.files(dir, skipped));
    }

    /** Removes the files the build added that git ignores; returns them, relative to the package directory. */
    List<String> remove() throws IOException {
        List<Path> added = PackageSources.files(dir, skipped).stream().filter(f -> !before.contains(f)).toList();
        if (added.isEmpty()) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        for (Path f : ignored(added)) {
            Files.deleteIfExists(f);
            removed.add(dir.relativize(f).toString());
        }
        return removed;
    }

    /** Those of the files git ignores; none outside a git work tree. */
    private List<Path> ignored(List<Path> files) throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toFile());
        if (builder.getGitDir() == null) {
            return List.of();
        }
        try (Repository repo = builder.setMustExist(true).build(); Git git = new Git(repo)) {
            if (repo.isBare()) {
                return List.of();
            }
            Path root = repo.getWorkTree().toPath().toRealPath();
            Path real = dir.toRealPath();
            Map<String, Path> byGitPath = new LinkedHashMap<>();
            for (Path f : files) {
                Path p = real.resolve(dir.relativize(f));
                if (p.startsWith(root)) {
                    byGitPath.put(root.relativize(p).toString().replace('\\', '/'), f);
                }
            }
            if (byGitPath.isEmpty()) {
                return List.of();
            }
            StatusCommand status = git.status();
            byGitPath.keySet().forEach(status::addPath);
            // An ignored directory is reported as the directory, not file by file.
            Set<String> ignored = status.call().getIgnoredNotInIndex();
            return byGitPath.entrySet().stream()
                    .filter(e -> ignored.contains(e.getKey()) || ignored.stream().anyMatch(i -> e.getKey().startsWith(i + "/")))
                    .map(Map.Entry::getValue).toList();
        } catch (GitAPIException e) {
            throw new IOException("git status: " + e.getMessage(), e);
        }
    }
}
