package io.slipway.python;

import java.util.Locale;
import java.util.Objects;

/**
 * What a distribution file's name says: project, version and kind. Understands wheels (PEP 427:
 * {@code acme_core-0.4.0-py3-none-any.whl}), PEP 625 sdists ({@code acme_core-0.4.0.tar.gz}) and
 * the legacy sdists older setuptools writes with the name's dashes kept
 * ({@code acme-core-0.4.0.tar.gz}, also {@code .zip}).
 *
 * @param fileName the file's name, without directories
 * @param project  the project name as the file spells it
 * @param version  the version
 * @param kind     wheel or sdist
 */
public record DistributionFile(String fileName, ProjectName project, Pep440Version version, Kind kind) {

    /** The two kinds of distribution PyPI accepts. */
    public enum Kind { WHEEL, SDIST }

    private static final String[] SDIST_SUFFIXES = {".tar.gz", ".zip"};

    public DistributionFile {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * Parses a file name (directories are ignored).
     *
     * @throws IllegalArgumentException naming the file if it is not a wheel or sdist name
     */
    public static DistributionFile parse(String fileName) {
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".whl")) {
            return wheel(name);
        }
        for (String suffix : SDIST_SUFFIXES) {
            if (lower.endsWith(suffix)) {
                return sdist(name, name.substring(0, name.length() - suffix.length()));
            }
        }
        throw invalid(name, "it ends neither in .whl nor in .tar.gz or .zip");
    }

    /** {@code name-version(-build)?-python-abi-platform.whl}; the name has no dashes. */
    private static DistributionFile wheel(String fileName) {
        String[] parts = fileName.substring(0, fileName.length() - ".whl".length()).split("-", -1);
        if (parts.length != 5 && parts.length != 6) {
            throw invalid(fileName, "a wheel name has 5 or 6 dash-separated parts"
                    + " (name-version[-build]-python-abi-platform.whl)");
        }
        if (parts.length == 6 && (parts[2].isEmpty() || !Character.isDigit(parts[2].charAt(0)))) {
            throw invalid(fileName, "a wheel's build tag must start with a digit");
        }
        return new DistributionFile(fileName, name(fileName, parts[0]), version(fileName, parts[1]), Kind.WHEEL);
    }

    /**
     * {@code name-version}: the first dash after which a valid version follows ends the name, so a
     * legacy name with dashes ({@code acme-core-0.4.0}) parses as well as a PEP 625 one.
     */
    private static DistributionFile sdist(String fileName, String stem) {
        for (int dash = stem.indexOf('-'); dash > 0; dash = stem.indexOf('-', dash + 1)) {
            String name = stem.substring(0, dash);
            String version = stem.substring(dash + 1);
            if (Pep440Version.isValid(version) && ProjectName.isValid(name)) {
                return new DistributionFile(fileName, ProjectName.of(name), Pep440Version.parse(version), Kind.SDIST);
            }
        }
        throw invalid(fileName, "no name-version split with a valid PEP 440 version");
    }

    private static ProjectName name(String fileName, String name) {
        try {
            return ProjectName.of(name);
        } catch (IllegalArgumentException e) {
            throw invalid(fileName, e.getMessage());
        }
    }

    private static Pep440Version version(String fileName, String version) {
        try {
            return Pep440Version.parse(version);
        } catch (IllegalArgumentException e) {
            throw invalid(fileName, e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String fileName, String why) {
        return new IllegalArgumentException("\"" + fileName + "\" is not a distribution file name: " + why);
    }

    /** Whether this file belongs to the given project, whatever the spelling. */
    public boolean isOf(ProjectName other) {
        return project.sameProjectAs(other);
    }
}
