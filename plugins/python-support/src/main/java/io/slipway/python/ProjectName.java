package io.slipway.python;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A project's name on an index. Two names are the same project when their PEP 503 normal forms
 * are equal: {@code Acme_Core}, {@code acme.core} and {@code acme-core} all name {@code acme-core}.
 *
 * @param name the name as written
 */
public record ProjectName(String name) {

    /** PEP 508's name grammar: ASCII letters and digits, with {@code . _ -} only inside. */
    private static final Pattern VALID = Pattern.compile("[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

    /** @throws IllegalArgumentException naming the string if it is not a valid project name */
    public ProjectName {
        Objects.requireNonNull(name, "name");
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("\"" + name + "\" is not a valid Python project name"
                    + " (letters, digits and . _ - only, starting and ending with a letter or digit)");
        }
    }

    /** Whether the string is a valid project name. */
    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    public static ProjectName of(String name) {
        return new ProjectName(name);
    }

    /** PEP 503: runs of {@code - _ .} become one {@code -}, lower case; the name in index URLs. */
    public static String normalize(String name) {
        return SEPARATORS.matcher(name).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    /** The PEP 503 normal form, e.g. {@code acme-core}. */
    public String normalized() {
        return normalize(name);
    }

    /** The form wheel and PEP 625 sdist file names use: normalised with {@code _}, e.g. {@code acme_core}. */
    public String fileNameForm() {
        return normalized().replace('-', '_');
    }

    /** Same project, whatever the spelling. */
    public boolean sameProjectAs(ProjectName other) {
        return normalized().equals(other.normalized());
    }

    @Override
    public String toString() {
        return name;
    }
}
