package io.slipway.plugin.gitsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * How a repository names its release tags, read from the tags it has: {@code {version}} when its
 * version tags are bare ({@code 1.4.0}) and none has a {@code v}, else {@code v{version}}, which is
 * also the answer for a repository without release tags (or outside git).
 */
public final class TagConvention {

    private static final Pattern BARE = Pattern.compile("^\\d+\\.\\d+.*");
    private static final Pattern PREFIXED = Pattern.compile("^v\\d+(\\.\\d+)*.*");

    private TagConvention() {
    }

    /** The tag format of the repository at or above {@code dir}: {@code v{version}} or {@code {version}}. */
    public static String of(Path dir) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toFile());
        if (builder.getGitDir() == null) {
            return "v{version}";
        }
        try (Repository repo = builder.build()) {
            return of(repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS).stream()
                    .map(r -> r.getName().substring(Constants.R_TAGS.length())).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tags of " + builder.getGitDir(), e);
        }
    }

    /** The format a list of tag names follows. */
    public static String of(List<String> tags) {
        boolean bare = tags.stream().anyMatch(t -> BARE.matcher(t).matches());
        boolean prefixed = tags.stream().anyMatch(t -> PREFIXED.matcher(t).matches());
        return bare && !prefixed ? "{version}" : "v{version}";
    }
}
