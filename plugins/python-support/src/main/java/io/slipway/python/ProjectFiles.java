package io.slipway.python;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The files an index lists for one project.
 *
 * @param project the project's normalised name
 * @param page    the page they were read from
 * @param files   the files in the index's order
 */
public record ProjectFiles(String project, URI page, List<IndexFile> files) {

    public ProjectFiles {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(page, "page");
        files = List.copyOf(files);
    }

    /** The versions the file names carry (names that are not wheels or sdists are left out). */
    public SortedSet<Pep440Version> versions() {
        TreeSet<Pep440Version> versions = new TreeSet<>();
        files.forEach(f -> f.distribution().ifPresent(d -> versions.add(d.version())));
        return versions;
    }

    /** The newest version that is neither a pre-release nor only present as yanked files. */
    public Optional<Pep440Version> newestRelease() {
        return newest(false);
    }

    /** The newest pre-release (alpha, beta, rc or dev) that is not only present as yanked files. */
    public Optional<Pep440Version> newestPreRelease() {
        return newest(true);
    }

    private Optional<Pep440Version> newest(boolean preRelease) {
        TreeSet<Pep440Version> versions = new TreeSet<>();
        files.stream().filter(f -> !f.yanked()).forEach(f -> f.distribution()
                .filter(d -> d.version().isPreRelease() == preRelease)
                .ifPresent(d -> versions.add(d.version())));
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.last());
    }

    /** The files of one version (PEP 440 equality: {@code 1.0} matches {@code 1.0.0}). */
    public List<IndexFile> filesOf(Pep440Version version) {
        return files.stream()
                .filter(f -> f.distribution().map(d -> d.version().equals(version)).orElse(false))
                .toList();
    }

    /** The file with exactly this name, if listed. */
    public Optional<IndexFile> file(String fileName) {
        return files.stream().filter(f -> f.fileName().equals(fileName)).findFirst();
    }
}
