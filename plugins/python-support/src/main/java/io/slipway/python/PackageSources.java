package io.slipway.python;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The sources of a package as one digest: every file under the package directory (symbolic links
 * followed) with its sha256, less what builds, tests and tools write there: hidden directories
 * such as {@code .git}, {@code .slipway} and virtualenvs, {@code __pycache__}, {@code *.egg-info}
 * and {@code *.pyc} anywhere; {@code build}, {@code dist}, {@code venv} and {@code node_modules}
 * at the top of the package; release scripts ({@code *.kts}), so that editing the pipeline does
 * not count as a change to the package. A different digest means the artifacts built before no
 * longer match the sources; a check that ran on the package (an editable install) no longer holds.
 */
public final class PackageSources {

    private static final Set<String> TOP_LEVEL_OUTPUT = Set.of("build", "dist", "venv", "node_modules");

    private PackageSources() {
    }

    public static String of(Path dir) throws IOException {
        TreeMap<String, String> files = new TreeMap<>();
        for (Path f : files(dir, Set.of())) {
            files.put(dir.relativize(f).toString(), Sha256.of(f));
        }
        StringBuilder all = new StringBuilder();
        files.forEach((path, sha) -> all.append(sha).append(' ').append(path).append('\n'));
        return Sha256.ofText(all.toString());
    }

    /**
     * The files the digest covers (see the class comment), as absolute paths, leaving out the
     * directories in {@code skipped} too (other packages nested in this one).
     */
    public static Set<Path> files(Path dir, Set<Path> skipped) throws IOException {
        Set<Path> files = new TreeSet<>();
        Files.walkFileTree(dir, Set.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                String name = d.getFileName().toString();
                boolean skip = !d.equals(dir) && (name.startsWith(".") || name.endsWith(".egg-info")
                        || name.equals("__pycache__") || d.getParent().equals(dir) && TOP_LEVEL_OUTPUT.contains(name)
                        || skipped.contains(d));
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                String name = f.getFileName().toString();
                if (attrs.isRegularFile() && !name.endsWith(".pyc") && !name.endsWith(".kts")) {
                    files.add(f);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }
}
