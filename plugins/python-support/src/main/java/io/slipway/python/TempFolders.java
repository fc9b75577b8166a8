package io.slipway.python;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The temp folders of a release's Python work (a build's output before it is verified, a smoke's venv),
 * named {@code slipway-<purpose>-<runner's pid>-<random>} in the temp folder the step's children use:
 * {@code $TMPDIR} when it names an absolute folder (a user who points it at a bigger disk gets the builds
 * and venvs there too), else Java's. The step removes its folder when it ends; a runner killed with -9
 * cannot, so making a folder also removes those whose runner is gone and that have not changed for an
 * hour (a runner in another pid namespace that shares the temp folder may still be using a younger one).
 * The children's own temp files go into the folder's {@link #childTemp}, so what a killed build or pip
 * leaves goes with it.
 */
public final class TempFolders {

    private static final Pattern OURS = Pattern.compile("slipway-[a-z]+-(\\d+)-\\d+");
    private static final Duration UNTOUCHED = Duration.ofHours(1);

    private TempFolders() {
    }

    /** A new, empty folder for {@code purpose} (lower-case letters, e.g. {@code build}) in env's temp folder. */
    public static Path create(String purpose, Map<String, String> env) throws IOException {
        Path tmp = base(env);
        removeAbandoned(tmp);
        return Files.createTempDirectory(tmp, "slipway-" + purpose + "-" + ProcessHandle.current().pid() + "-");
    }

    /** The {@code TMPDIR} for the children of the step that made {@code folder}: {@code folder/tmp}, made here. */
    public static Path childTemp(Path folder) throws IOException {
        return Files.createDirectories(folder.resolve("tmp"));
    }

    private static Path base(Map<String, String> env) {
        String tmpdir = env.get("TMPDIR");
        if (tmpdir != null && !tmpdir.isBlank()) {
            Path p = Path.of(tmpdir);
            if (p.isAbsolute() && Files.isDirectory(p)) {
                return p;
            }
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Removes a folder and everything in it; nothing if it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void removeAbandoned(Path tmp) {
        FileTime before = FileTime.from(Instant.now().minus(UNTOUCHED));
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, "slipway-*")) {
            for (Path folder : folders) {
                Matcher m = OURS.matcher(folder.getFileName().toString());
                try {
                    if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()
                            && Files.getLastModifiedTime(folder).compareTo(before) < 0) {
                        deleteTree(folder);
                    }
                } catch (IOException | RuntimeException e) {
                    // another user's folder, or one removed meanwhile: leftovers are not worth failing a release for
                }
            }
        } catch (IOException e) {
            // a temp folder that cannot be listed: the folder is still made below, or that fails with the reason
        }
    }
}
