package io.slipway.python;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One file an index lists for a project.
 *
 * @param fileName the file's name, e.g. {@code acme_core-0.4.0-py3-none-any.whl}
 * @param url      where to download it
 * @param sha256   its hex sha256 as the index states it, empty if the index gives none
 * @param yanked   whether the index marks it yanked (PEP 592); its name stays taken
 */
public record IndexFile(String fileName, URI url, Optional<String> sha256, boolean yanked) {

    public IndexFile {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(url, "url");
        sha256 = sha256.map(h -> h.toLowerCase(java.util.Locale.ROOT));
    }

    /** Project, version and kind from the name, empty for a name that is not a wheel or sdist. */
    public Optional<DistributionFile> distribution() {
        try {
            return Optional.of(DistributionFile.parse(fileName));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
