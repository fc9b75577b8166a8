package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void theShippedReleaseKtsIsNeverCompiledOnTheUsersMachineAndAnEditedOneIs(@TempDir Path dir) throws Exception {
        SampleRepo repo = SampleRepo.create(dir.resolve("project"));
        Files.copy(Runner.HOME.resolve("release.kts"), repo.work.resolve("release.kts"), StandardCopyOption.REPLACE_EXISTING);
        Path cache = dir.resolve("empty-cache");
        Map<String, String> env = Map.of("SLIPWAY_CACHE_DIR", cache.toString());
        List<String> validate = List.of("validate", "release.kts", "--set", "repository=local", "--set", "rehearsal-repository=local");

        Runner.Result shipped = Runner.run(repo.work, env, validate);
        assertEquals(0, shipped.exit(), shipped.summary());
        assertEquals(List.of(), files(cache, ".jar"), "the shipped release.kts ran from $SLIPWAY_HOME/scripts, without compiling");

        Files.writeString(repo.work.resolve("release.kts"), "\n// a user's change\n", StandardOpenOption.APPEND);
        Runner.Result edited = Runner.run(repo.work, env, validate);
        assertEquals(0, edited.exit(), edited.summary());
        assertEquals(1, files(cache, ".jar").size(), "an edited script is compiled into the user's cache");
    }

    @Test
    void aClassDataArchiveIsMadeOnceInTheCacheAndLaterRunsUseItWithTheSameOutput(@TempDir Path dir) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
        Path cds = dir.resolve("cache/slipway/cds");
        Runner.Result first = Runner.run(work, env, List.of("plugins")); // lists the classes it loads
        Runner.Result second = Runner.run(work, env, List.of("plugins")); // dumps them, in the background
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (files(cds, ".jsa").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        List<Path> made = files(cds, "");
        assertEquals(1, files(cds, ".jsa").size(), "no archive in " + cds + ": " + made);
        Runner.Result third = Runner.run(work, env, List.of("plugins"));
        for (Runner.Result r : List.of(first, second, third)) {
            assertEquals(0, r.exit(), r.summary());
            assertEquals(first.summary(), r.summary(), "the archive changes nothing a user sees");
        }
        assertEquals(List.of(), files(work, ""), "nothing is written where the runner runs");
    }

    private static List<Path> files(Path dir, String suffix) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void runnerVersionPrintsTheVersionOfTheShippedRunner(@TempDir Path dir) throws Exception {
        String jar;
        try (Stream<Path> jars = Files.list(Runner.HOME.resolve("lib"))) {
            jar = jars.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("slipway-runner-")).findFirst().orElseThrow();
        }
        Runner.Result r = Runner.run(dir, Map.of(), List.of("--runner-version"));
        assertEquals("exit 0\nslipway " + jar.substring("slipway-runner-".length(), jar.length() - ".jar".length()), r.summary());
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
