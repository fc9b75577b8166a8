package io.slipway.plugin.localindex;

import io.slipway.python.DistributionFile;
import io.slipway.python.ProjectName;
import io.slipway.python.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The index's files on disk: {@code <storage>/<normalized project>/<file name>}, nothing else (an
 * upload is written aside and moved in whole, so a reader never meets half a file). Beside the
 * storage, {@code <storage>.uploads} gets one line per upload taken ({@code <file> <sha256> stored}
 * or {@code ... same-again}): the count of what the index accepted, for whoever needs to prove a
 * file was sent once.
 */
final class Store {

    /** One stored distribution file as the pages list it. */
    record Stored(DistributionFile file, Path path, long size, FileTime modified, String sha256,
                  Optional<String> requiresPython) {
    }

    /** What an accepted upload did. */
    enum Put { STORED, SAME_AGAIN }

    private record Facts(long size, FileTime modified, String sha256, Optional<String> requiresPython) {
    }

    private final Path root;
    private final Path ledger;
    /** Stored files never change, so what was read from one holds while its size and time do. */
    private final Map<Path, Facts> facts = new ConcurrentHashMap<>();

    Store(Path root) {
        this.root = root;
        this.ledger = root.resolveSibling(root.getFileName() + ".uploads");
    }

    /** The normalized names of the projects that have at least one file, sorted. */
    List<String> projects() throws IOException {
        List<String> projects = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String name = dir.getFileName().toString();
                if (ProjectName.isValid(name) && name.equals(ProjectName.normalize(name)) && hasFiles(dir)) {
                    projects.add(name);
                }
            }
        }
        return projects;
    }

    private static boolean hasFiles(Path dir) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.anyMatch(p -> distribution(p).isPresent());
        }
    }

    /** A project's distribution files, sorted by name; empty when the index does not have the project. */
    List<Stored> files(String normalized) throws IOException {
        Path dir = root.resolve(normalized);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Stored> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path path : listing.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList()) {
                distribution(path).ifPresent(file -> {
                    Facts f = facts(path);
                    if (f != null) {
                        files.add(new Stored(file, path, f.size(), f.modified(), f.sha256(), f.requiresPython()));
                    }
                });
            }
        }
        return files;
    }

    /** The stored file to download, if {@code fileName} is one of the project's distribution files. */
    Optional<Path> file(String normalized, String fileName) {
        if (!ProjectName.isValid(normalized) || fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\")) {
            return Optional.empty();
        }
        Path path;
        try {
            path = root.resolve(normalized).resolve(fileName);
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        return distribution(path).map(d -> path);
    }

    /**
     * Stores an upload's file moved from {@code upload} as {@code file} of {@code project}: a no-op
     * when the name is stored with the same content, refused with other content (as PyPI does). One
     * at a time, so two uploads of one file name cannot both find it free.
     */
    synchronized Put put(ProjectName project, DistributionFile file, Path upload, String sha256) throws IOException, Refused {
        Path target = root.resolve(project.normalized()).resolve(file.fileName());
        if (Files.exists(target)) {
            if (Sha256.of(target).equalsIgnoreCase(sha256)) {
                record(file.fileName(), sha256, "same-again");
                return Put.SAME_AGAIN;
            }
            throw new Refused("File already exists ('" + file.fileName() + "', with other content)."
                    + " A file name can be uploaded once; release a new version.");
        }
        Files.createDirectories(target.getParent());
        // Copied beside the projects (the upload may be on another file system), then moved in whole.
        Path part = Files.createTempFile(root, ".upload-", ".part");
        try {
            Files.move(upload, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
        record(file.fileName(), sha256, "stored");
        return Put.STORED;
    }

    private void record(String fileName, String sha256, String what) throws IOException {
        Files.writeString(ledger, fileName + " " + sha256.toLowerCase(java.util.Locale.ROOT) + " " + what + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The file's name read as a wheel or sdist, if it is a regular file with such a name. */
    private static Optional<DistributionFile> distribution(Path path) {
        String name = path.getFileName().toString();
        if (name.startsWith(".") || !Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(DistributionFile.parse(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Size, time, sha256 and Requires-Python of a file, read once; null if it went away meanwhile. */
    private Facts facts(Path path) {
        try {
            long size = Files.size(path);
            FileTime modified = Files.getLastModifiedTime(path);
            Facts known = facts.get(path);
            if (known != null && known.size() == size && known.modified().equals(modified)) {
                return known;
            }
            Facts read = new Facts(size, modified, Sha256.of(path), RequiresPython.of(path));
            facts.put(path, read);
            return read;
        } catch (IOException e) {
            return null;
        }
    }
}
