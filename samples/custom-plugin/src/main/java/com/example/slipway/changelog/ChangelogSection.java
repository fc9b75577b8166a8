package com.example.slipway.changelog;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One release's section of a Markdown changelog: its heading ({@code ## 1.2.0},
 * {@code ## [1.2.0] - 2026-11-23}, {@code ## v1.2.0 (2026-11-23)}) and the text up to the next
 * heading of the same or a higher level, or up to the link definitions at the end of the file.
 *
 * @param line    the heading's line number, 1-based
 * @param heading the heading line as written
 * @param text    the section's text without the heading and surrounding blank lines
 */
record ChangelogSection(int line, String heading, String text) {

    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+\\[?v?([^\\]\\s(]+)\\]?(?:[\\s(].*)?$");
    private static final Pattern LINK_DEFINITION = Pattern.compile("^\\[[^\\]]+\\]:\\s*\\S+.*$");

    /** The section for {@code version}; a version that only starts the same ({@code 1.2.0rc1}) does not count. */
    static Optional<ChangelogSection> find(List<String> lines, String version) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = HEADING.matcher(lines.get(i).strip());
            if (m.matches() && m.group(2).equals(version)) {
                int level = m.group(1).length();
                int end = i + 1;
                while (end < lines.size() && !endsSection(lines.get(end).strip(), level)) {
                    end++;
                }
                return Optional.of(new ChangelogSection(i + 1, lines.get(i).strip(),
                        String.join("\n", lines.subList(i + 1, end)).strip()));
            }
        }
        return Optional.empty();
    }

    /** The line number of an "Unreleased" heading, the usual place for notes not yet given a version. */
    static Optional<Integer> unreleased(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = HEADING.matcher(lines.get(i).strip());
            if (m.matches() && m.group(2).equalsIgnoreCase("unreleased")) {
                return Optional.of(i + 1);
            }
        }
        return Optional.empty();
    }

    private static boolean endsSection(String line, int level) {
        Matcher m = HEADING.matcher(line);
        return m.matches() && m.group(1).length() <= level || LINK_DEFINITION.matcher(line).matches();
    }
}
