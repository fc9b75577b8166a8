package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed layout (tagged process: it needs the packaged distribution, which exists only after
 * the package phase): lib/ holds exactly the runner and its run-time dependencies, so no plugin's
 * library is on the runner's class path; each plugin folder holds its own libraries less what its
 * library plugins carry, and no jar twice; the documents a user is told to read and copy are there.
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

    /**
     * No jar of lib/ or of a plugin carries signature files (src/build/StripSignatures.java): a signed
     * jar's classes are verified at each load and left out of the class-data archive. JGit is signed
     * where Maven gets it, so this fails if a build ships it as it came.
     */
    @Test
    void noShippedJarIsSigned() throws Exception {
        List<Path> jars;
        try (Stream<Path> files = Files.walk(Runner.HOME)) {
            jars = files.filter(p -> p.toString().endsWith(".jar") && p.getParent().getFileName().toString().equals("lib")).toList();
        }
        assertEquals(2, jars.stream().filter(j -> j.getFileName().toString().startsWith("org.eclipse.jgit-")).count(),
                "JGit in lib/ and in plugins/git-support/lib/: " + jars);
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                assertEquals(List.of(), zip.stream().map(ZipEntry::getName).filter(n -> n.matches("(?i)META-INF/[^/]+\\.(SF|RSA|DSA|EC)"))
                        .toList(), jar.toString());
                if (jar.getFileName().toString().startsWith("org.eclipse.jgit-")) {
                    assertTrue(zip.getEntry("org/eclipse/jgit/api/Git.class") != null, jar + " lost its classes");
                }
            }
        }
    }

    /** The file names of the jars of a class path file that maven-dependency-plugin's build-classpath wrote. */
    private static Set<String> jarNames(Path classpathFile) throws Exception {
        String text = Files.readString(classpathFile).trim();
        return text.isEmpty() ? new TreeSet<>() : Arrays.stream(text.split(File.pathSeparator))
                .map(p -> Path.of(p).getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> jarsIn(Path dir) throws Exception {
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Properties pluginProperties(Path plugin) throws Exception {
        Properties p = new Properties();
        try (var in = Files.newInputStream(plugin.resolve("plugin.properties"))) {
            p.load(in);
        }
        return p;
    }

    /**
     * Each plugin folder's lib/ is exactly its own jar and its module's resolved run-time dependencies,
     * without what the library plugins it names in plugin.dependencies carry; what it has at provided
     * scope (besides the SPI, PF4J and slf4j, which the runner provides) is in those library plugins,
     * in the version it was built against; no jar is in two plugin folders.
     */
    @Test
    void eachPluginHoldsItsOwnDependenciesLessWhatItsLibraryPluginsCarryAndNoJarTwice() throws Exception {
        Path source = Path.of(System.getProperty("plugins.source"));
        Map<String, Set<String>> libs = new TreeMap<>();
        Map<String, Properties> properties = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(Runner.HOME.resolve("plugins"))) {
            for (Path plugin : dirs.filter(Files::isDirectory).toList()) {
                String name = plugin.getFileName().toString();
                libs.put(name, jarsIn(plugin.resolve("lib")));
                properties.put(name, pluginProperties(plugin));
            }
        }
        Map<String, String> holder = new TreeMap<>();
        for (var e : libs.entrySet()) {
            for (String jar : e.getValue()) {
                String other = holder.putIfAbsent(jar, e.getKey());
                assertTrue(other == null, jar + " is in plugins/" + other + "/lib and plugins/" + e.getKey() + "/lib");
            }
        }
        for (var e : libs.entrySet()) {
            String name = e.getKey();
            Path module = source.resolve(name);
            Set<String> runtime = jarNames(module.resolve("target/classpath-runtime.txt"));
            Set<String> provided = jarNames(module.resolve("target/classpath-provided.txt"));
            Set<String> fromLibraries = new TreeSet<>();
            for (String dependency : properties.get(name).getProperty("plugin.dependencies", "").split(",")) {
                if (dependency.isBlank()) {
                    continue;
                }
                String id = dependency.trim().replaceFirst("@.*", "");
                assertTrue(libs.containsKey(id), name + " names " + id + " in plugin.dependencies, which is not in plugins/");
                assertEquals("true", properties.get(id).getProperty("slipway.library"), name + " depends on " + id + ", not a library plugin");
                fromLibraries.addAll(libs.get(id));
            }
            Set<String> notProvided = new TreeSet<>(provided);
            notProvided.removeAll(fromLibraries);
            assertEquals(Set.of(), notProvided, name + " was built against these at provided scope, and no library plugin it names carries them");
            Set<String> expected = new TreeSet<>(runtime);
            expected.addAll(provided);
            expected.removeAll(fromLibraries);
            Set<String> lib = new TreeSet<>(e.getValue());
            assertTrue(lib.removeIf(n -> n.matches(java.util.regex.Pattern.quote(name) + "-\\d.*\\.jar")), "plugins/" + name + " lacks its own jar: " + lib);
            assertEquals(expected, lib, "plugins/" + name + "/lib");
        }
    }

    @Test
    void theShippedScriptsAreNeverCompiledOnTheUsersMachineAndAnEditedOneIs(@TempDir Path dir) throws Exception {
        SampleRepo repo = SampleRepo.create(dir.resolve("project"));
        Path cache = dir.resolve("empty-cache");
        Map<String, String> env = Map.of("SLIPWAY_CACHE_DIR", cache.toString());
        List<String> validate = List.of("validate", "release.kts", "--set", "repository=local", "--set", "rehearsal-repository=local");

        Runner.Result demo = Runner.run(repo.work, env, validate);
        assertEquals(0, demo.exit(), demo.summary());
        assertEquals(List.of(), files(cache, ".jar"), "the script of the sample runner demo releases is shipped compiled");

        Files.copy(Runner.HOME.resolve("release.kts"), repo.work.resolve("release.kts"), StandardCopyOption.REPLACE_EXISTING);
        Runner.Result shipped = Runner.run(repo.work, env, validate);
        assertEquals(0, shipped.exit(), shipped.summary());
        assertEquals(List.of(), files(cache, ".jar"), "the shipped release.kts ran from $SLIPWAY_HOME/scripts, without compiling");
        // Kotlin loads a compiled script only if every file its manifest's Class-Path names exists: the build
        // machine's paths are there on this machine, but on no user's.
        for (Path jar : files(Runner.HOME.resolve("scripts"), ".jar")) {
            try (JarFile compiled = new JarFile(jar.toFile())) {
                assertEquals(null, compiled.getManifest().getMainAttributes().getValue("Class-Path"), jar + " names files of the build machine");
            }
        }

        Files.writeString(repo.work.resolve("release.kts"), "\n// a user's change\n", StandardOpenOption.APPEND);
        Runner.Result edited = Runner.run(repo.work, env, validate);
        assertEquals(0, edited.exit(), edited.summary());
        assertEquals(1, files(cache, ".jar").size(), "an edited script is compiled into the user's cache");
    }

    /**
     * The installation as another machine's user meets it: a uid without a passwd entry (a container's
     * {@code --user}; Java calls its home "?"), no locale, an installation it cannot write and a build
     * machine whose paths (/root/.m2, where Kotlin's manifest pointed) it cannot read. The release's
     * preflight runs from the shipped script, nothing is compiled or written into the installation,
     * and nothing lands in the repository (JGit once kept its config in ./?/.config there).
     */
    @Test
    void aUserWithoutPasswdEntryRunsTheShippedScriptFromAnInstallationItCannotWrite(@TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv to run as another user");
        String uid = "48213"; // no passwd entry
        Path install = dir.resolve("opt");
        Path home = dir.resolve("home");
        SampleRepo repo = SampleRepo.referencePipeline(dir.resolve("project"), "none");
        Ran prepared = exec(dir, List.of("sh", "-c", "chmod 755 '" + dir + "' && mkdir -p '" + install + "' '" + home
                + "' && cp -r '" + Runner.HOME + "' '" + install + "/' && chmod -R a+rX,go-w '" + install + "' && chown -R "
                + uid + ":" + uid + " '" + home + "' '" + dir.resolve("project") + "'"));
        assertEquals(0, prepared.exit(), prepared.out());
        Path runner = install.resolve(Runner.HOME.getFileName()).resolve("bin/runner");
        Map<String, Long> installed = sizes(install);

        List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid", uid, "--regid", uid, "--clear-groups",
                "/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "HOME=" + home, runner.toString()));
        command.addAll(repo.command("--until", "preflight"));
        Ran release = exec(repo.work, command);
        String out = release.out();

        assertEquals(0, release.exit(), out);
        assertTrue(out.contains("stopped after preflight (--until)"), out);
        assertEquals(installed, sizes(install), "the installation is only read");
        assertEquals(List.of(), files(home.resolve(".cache/slipway/scripts"), ".jar"), "the shipped script ran without compiling");
        assertTrue(Files.notExists(repo.work.resolve("?")), "nothing of the user's home in the repository");
        try (Git git = Git.open(repo.work.toFile())) {
            assertTrue(git.status().call().isClean(), out);
        }
    }

    /** A finished command: its exit code and its output, stdout and stderr together. */
    private record Ran(int exit, String out) {
    }

    /** Runs a command in a folder to its end (at most 3 minutes). */
    private static Ran exec(Path dir, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), command + "\n" + out);
        return new Ran(p.exitValue(), out);
    }

    /** Every file under a folder with its size and modification time, to see that nothing was written there. */
    private static Map<String, Long> sizes(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            Map<String, Long> all = new TreeMap<>();
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.put(root.relativize(f) + " " + Files.getLastModifiedTime(f).toMillis(), Files.size(f));
            }
            return all;
        }
    }

    @Test
    void aClassDataArchiveIsMadeOnceFromARunThatEvaluatedAScriptAndLaterRunsUseItWithTheSameOutput(@TempDir Path dir) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        SampleRepo repo = SampleRepo.create(dir.resolve("project"));
        Map<String, Long> project = sizes(repo.work);
        Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
        List<String> validate = List.of("validate", "release.kts", "--set", "repository=local", "--set", "rehearsal-repository=local");
        Path cds = Files.createDirectories(dir.resolve("cache/slipway/cds"));
        // Archives left by earlier installations: this one before an upgrade, one that is gone, and another that is still there.
        Map<String, String> earlier = Map.of("runner-1", Runner.HOME.normalize().toString(), "runner-2",
                dir.resolve("uninstalled").toString(), "runner-3", work.toString());
        for (Map.Entry<String, String> archive : earlier.entrySet()) {
            Files.writeString(cds.resolve(archive.getKey() + ".jsa"), "an archive");
            Files.writeString(cds.resolve(archive.getKey() + ".home"), archive.getValue() + "\n");
        }
        // A first run that evaluates no script lists too few classes to be worth an archive: its list is dropped.
        Runner.Result help = Runner.run(work, env, List.of("--help"));
        Runner.Result first = Runner.run(repo.work, env, validate); // lists the classes it loads
        Runner.Result second = Runner.run(repo.work, env, validate); // dumps them, in the background
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (files(cds, ".jsa").stream().allMatch(f -> earlier.containsKey(f.getFileName().toString().replace(".jsa", "")))
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        List<Path> made = files(cds, "");
        assertEquals(2, files(cds, ".jsa").size(), "this installation's archive beside the other one's in " + cds + ": " + made);
        assertTrue(Files.exists(cds.resolve("runner-3.jsa")) && Files.exists(cds.resolve("runner-3.home")),
                "another installation's archive stays: " + made);
        assertEquals(List.of(), files(cds, "").stream().filter(f -> f.getFileName().toString().matches("runner-[12]\\..*")).toList(),
                "the archives of this installation before it changed, and of one that is gone, are removed");
        List<Path> lists = files(cds, ".classlist");
        assertEquals(1, lists.size(), "one class list, the archive's: " + made);
        assertTrue(Files.readAllLines(lists.get(0)).contains("io/slipway/runner/script/ReleaseScope"),
                "the archive holds the classes of a script's evaluation, not only those of --help");
        Runner.Result third = Runner.run(repo.work, env, validate);
        assertEquals(0, help.exit(), help.summary());
        for (Runner.Result r : List.of(first, second, third)) {
            assertEquals(0, r.exit(), r.summary());
            assertEquals(first.summary(), r.summary(), "the archive changes nothing a user sees");
        }
        assertEquals(List.of(), files(work, ""), "nothing is written where the runner runs");
        assertEquals(project, sizes(repo.work), "nothing is written into the project validated");
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
        for (Path plugin : plugins) {
            assertTrue(Files.isRegularFile(plugin.resolve("README.md")), plugin + " has no README.md");
            assertTrue(Files.isRegularFile(plugin.resolve("plugin.properties")), plugin + " is not a plugin");
        }
        List<String> libraries = new java.util.ArrayList<>();
        for (Path plugin : plugins) {
            if ("true".equals(pluginProperties(plugin).getProperty("slipway.library"))) {
                libraries.add(plugin.getFileName().toString());
            }
        }
        assertEquals(10, plugins.size(), plugins::toString);
        assertEquals(Set.of("git-support", "python-support"), Set.copyOf(libraries), "the library plugins");
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
