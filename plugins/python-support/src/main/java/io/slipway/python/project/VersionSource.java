package io.slipway.python.project;

import io.slipway.python.Toml;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one package's version is written.
 *
 * @param style  how it is written
 * @param file   the file holding it (null for {@link Style#GIT_TAG})
 * @param name   for TOML the dotted key ({@code project.version}), for an assignment the variable
 *               ({@code __version__}, setup.cfg's or setup.py's {@code version}), for a pattern the
 *               Java regular expression with a group named {@code version}; null otherwise
 * @param reason why this is the place, in the project's own terms ({@code [tool.hatch.version] path})
 */
public record VersionSource(Style style, Path file, String name, String reason) {

    public enum Style {
        /** A string value in a TOML file. */
        TOML,
        /** A file whose whole content is the version, like {@code VERSION}. */
        PLAIN,
        /** A line {@code name = "1.2.0"} in Python or an INI file, or {@code name="1.2.0",} in a call. */
        ASSIGNMENT,
        /** Where a regular expression's group {@code version} matches (hatch's {@code [tool.hatch.version] pattern}). */
        PATTERN,
        /** setuptools-scm, hatch-vcs, pdm scm: the version comes from the release tag. */
        GIT_TAG
    }

    static VersionSource gitTag(String reason) {
        return new VersionSource(Style.GIT_TAG, null, null, reason);
    }

    public boolean fromTag() {
        return style == Style.GIT_TAG;
    }

    /** Where, for messages and the plan: {@code pyproject.toml project.version}, {@code the release tag (hatch-vcs)}. */
    public String describe(Path workspace) {
        if (style == Style.GIT_TAG) {
            return "the release tag (" + reason + ")";
        }
        String rel = workspace.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString();
        return name == null ? rel : style == Style.PATTERN ? rel + " (" + reason + ")" : rel + " " + name;
    }

    /** The version written in the file's text here, or empty if it does not hold one in the expected form. */
    public Optional<String> read(String text) {
        return switch (style) {
            case TOML -> Toml.text(Toml.parse(text, file.toString()), name.split("\\."));
            case PLAIN -> text.isBlank() ? Optional.empty() : Optional.of(text.strip());
            case ASSIGNMENT -> {
                Matcher m = assignment(name, file).matcher(text);
                yield m.find() ? Optional.of(m.group(3)) : Optional.empty();
            }
            case PATTERN -> {
                Matcher m = Pattern.compile(name, Pattern.MULTILINE).matcher(text);
                yield m.find() ? Optional.of(m.group("version")) : Optional.empty();
            }
            case GIT_TAG -> Optional.empty();
        };
    }

    /**
     * Where {@code name} is assigned a version in {@code file}: in Python a quoted literal, {@code
     * name = "1.2.0"}, {@code name: str = '1.2.0'} or {@code name="1.2.0"} (a keyword argument, at a
     * line's start or after {@code (} or {@code ,}); in an INI file ({@code setup.cfg}) also unquoted,
     * {@code name = 1.2.0} or {@code name: 1.2.0}. Group 2 is the quote, group 3 the version.
     */
    public static Pattern assignment(String name, Path file) {
        boolean python = file == null || file.getFileName().toString().endsWith(".py");
        String separator = python ? "(?::[^=\\n]*=|=)" : "(?:=|:)";
        String quote = python ? "(['\"])" : "(['\"]?)";
        return Pattern.compile("(?m)((?:^|[(,])[ \\t]*" + Pattern.quote(name) + "[ \\t]*" + separator + "[ \\t]*)"
                + quote + "([^'\"\\s#,;)]+)\\2");
    }
}
