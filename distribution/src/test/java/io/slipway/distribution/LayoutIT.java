package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The installed layout (tagged process: it needs the packaged distribution, which exists only after
 * the package phase): lib/ holds exactly the runner and its run-time dependencies, so no plugin's
 * library is on the runner's class path; the documents a user is told to read and copy are there.
 */
@Tag("process")
class LayoutIT {

    @Test
    void libHoldsExactlyTheRunnersDependencies() throws Exception {
        Path classpath = Path.of(System.getProperty("runner.classpath"));
        Set<String> expected = Arrays.stream(Files.readString(classpath).trim().split(File.pathSeparator))
                .map(p -> Path.of(p).getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        try (Stream<Path> jars = Files.list(Runner.HOME.resolve("lib"))) {
            Set<String> lib = jars.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            assertTrue(lib.removeIf(n -> n.startsWith("slipway-runner-")), "the runner's own jar is missing: " + lib);
            assertEquals(expected, lib);
        }
    }

    @Test
    void theScriptTheReadmeAndEachPluginsReadmeAreShipped() throws Exception {
        assertTrue(Files.isRegularFile(Runner.HOME.resolve("release.kts")));
        assertTrue(Files.isRegularFile(Runner.HOME.resolve("README.md")));
        List<Path> plugins;
        try (Stream<Path> dirs = Files.list(Runner.HOME.resolve("plugins"))) {
            plugins = dirs.filter(Files::isDirectory).toList();
        }
        assertEquals(8, plugins.size(), plugins::toString);
        for (Path plugin : plugins) {
            assertTrue(Files.isRegularFile(plugin.resolve("README.md")), plugin + " has no README.md");
            assertTrue(Files.isRegularFile(plugin.resolve("plugin.properties")), plugin + " is not a plugin");
        }
    }

    @Test
    void theMavenRepositoryForPluginAuthorsHoldsTheSpiTheTestkitAndTheRunnerWithTheirPoms() throws Exception {
        Path repo = Runner.HOME.resolve("maven/io/slipway");
        for (String artifact : List.of("slipway-spi", "slipway-engine", "slipway-testkit", "slipway-runner", "python-support", "git-support")) {
            Path dir = repo.resolve(artifact);
            try (Stream<Path> versions = Files.list(dir)) {
                Path version = versions.filter(Files::isDirectory).findFirst().orElseThrow(() -> new AssertionError(dir + " is empty"));
                String base = artifact + "-" + version.getFileName();
                assertTrue(Files.isRegularFile(version.resolve(base + ".jar")), version + " has no " + base + ".jar");
                assertTrue(Files.isRegularFile(version.resolve(base + ".pom")), version + " has no " + base + ".pom");
            }
        }
        assertTrue(Files.isDirectory(repo.resolve("slipway-parent")) && Files.isDirectory(repo.resolve("slipway-plugins")),
                "the parent POMs are missing");
        try (Stream<Path> files = Files.walk(repo)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("_remote")
                    || f.getFileName().toString().startsWith("maven-metadata-local")).toList());
        }
        assertTrue(Files.isRegularFile(Runner.HOME.resolve("samples/custom-plugin/pom.xml")), "the sample plugin is missing");
    }
}
