package io.slipway.runner.plugin;

import io.slipway.spi.Spi;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Extension classes that {@link PluginIsolation#missingClass} found complete, remembered as empty
 * files in a folder. Each is named by a hash of the extension's name and of everything the check
 * read: every file of the class path it ran on (the plugin's jars and those of the plugins it names,
 * by path, size, modification time and file key), the runner's jars that plugins see (SPI, PF4J,
 * slf4j, and this class's own, which holds the check) and the JDK. The check loads every class the
 * plugin's own code refers to, hundreds of library classes a run may never need: ~0.1 s and 10 MB of
 * each start (bench/RESULTS.md). A plugin that changes gets another name and is checked again; a
 * class found missing is not remembered, so it is reported each time. Entries older than
 * {@link #UNUSED} are deleted whenever one is written, so a plugin in use is checked again about
 * once a month, and the entries of plugins that are gone do not pile up.
 */
final class CheckedExtensions {

    /** What finds the missing class, if any. */
    interface Check {
        Optional<String> missingClass() throws IOException;
    }

    private static final Duration UNUSED = Duration.ofDays(30);

    /** The runner's jars that plugins see, this class's own, and the JDK. */
    private static final Optional<String> RUNNER_AND_JDK = runnerAndJdk();

    private final Optional<Path> dir;
    private final Map<String, Optional<String>> stamps = new HashMap<>(); // by class path

    CheckedExtensions(Optional<Path> dir) {
        this.dir = dir;
    }

    /** The class {@code extension} cannot load, from {@code check} unless the same class path was found complete before. */
    Optional<String> missingClass(String extension, List<URL> classPath, Check check) throws IOException {
        Optional<Path> entry = dir.flatMap(d -> key(extension, classPath).map(d::resolve));
        if (entry.isPresent() && Files.exists(entry.get())) {
            return Optional.empty();
        }
        Optional<String> missing = check.missingClass();
        if (missing.isEmpty() && entry.isPresent()) {
            remember(entry.get());
        }
        return missing;
    }

    /** Best effort: a cache folder that cannot be written means the check runs again next time. */
    private static void remember(Path entry) {
        try {
            Files.createDirectories(entry.getParent());
            Instant cutoff = Instant.now().minus(UNUSED);
            try (Stream<Path> old = Files.list(entry.getParent())) {
                for (Path p : old.toList()) {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            Files.createFile(entry);
        } catch (FileAlreadyExistsException e) {
            // another runner checked the same plugin at the same time
        } catch (IOException e) {
            // not remembered
        }
    }

    /** The entry's name; empty when a part of the class path cannot be read as files. */
    private Optional<String> key(String extension, List<URL> classPath) {
        if (RUNNER_AND_JDK.isEmpty()) {
            return Optional.empty();
        }
        return stamps.computeIfAbsent(classPath.toString(), k -> stamp(classPath))
                .map(files -> HexFormat.of().formatHex(sha256(extension + "\n" + files + RUNNER_AND_JDK.get()), 0, 16));
    }

    private static Optional<String> runnerAndJdk() {
        List<URL> jars = new ArrayList<>();
        for (Class<?> c : List.of(Spi.class, org.pf4j.PluginManager.class, org.slf4j.Logger.class, CheckedExtensions.class)) {
            CodeSource source = c.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty(); // not loaded from a file: nothing to stamp, so nothing is remembered
            }
            jars.add(source.getLocation());
        }
        return stamp(jars).map(s -> s + System.getProperty("java.home") + " " + System.getProperty("java.version") + "\n");
    }

    /** Every file under {@code classPath}, with its size, modification time and file key, a line each. */
    private static Optional<String> stamp(List<URL> classPath) {
        StringBuilder out = new StringBuilder();
        try {
            for (URL url : classPath) {
                List<Path> files;
                try (Stream<Path> s = Files.walk(Path.of(url.toURI()))) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    out.append(f).append(' ').append(a.size()).append(' ').append(a.lastModifiedTime().to(TimeUnit.MILLISECONDS))
                            .append(' ').append(a.fileKey()).append('\n');
                }
            }
            return Optional.of(out.toString());
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
