package io.slipway.python.project;

import java.util.List;

/**
 * A package's changelog.
 *
 * @param file  workspace-relative path of the file the release edits (for towncrier, its output file)
 * @param style {@code towncrier}, {@code markdown}, {@code reStructuredText} or {@code text}
 */
public record Changelog(String file, String style) {

    /** The file names looked for, in this order, in a package's folder and then at the repository's top. */
    public static final List<String> CANDIDATES = List.of("CHANGELOG.md", "CHANGELOG.rst", "CHANGES.md", "CHANGES.rst",
            "HISTORY.md", "HISTORY.rst", "NEWS.md", "NEWS.rst", "CHANGELOG.txt", "CHANGES.txt", "HISTORY.txt", "NEWS.txt",
            "CHANGELOG");
}
