package io.slipway.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.runner.plugin.PluginDiscovery.Sources;
import io.slipway.testkit.StepHarness;
import io.slipway.spi.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where plugins are found, how broken ones are reported, and what a plugin may and may not do. */
class PluginDiscoveryTest {

    @TempDir
    Path tmp;

    private static StepCatalog load(Optional<Path> distribution, List<Path> user, Optional<Path> sourceTree) {
        return PluginDiscovery.load(new PluginDiscovery.Sources(distribution, user, sourceTree), List.of(), Optional.empty());
    }

    private static StepCatalog loadFrom(Path pluginsDir) {
        return load(Optional.empty(), List.of(pluginsDir), Optional.empty());
    }

    /** Runs a step type as the runner would and returns its output "said". */
    private Object said(StepCatalog catalog, String stepType) throws Exception {
        StepType type = catalog.find(stepType).orElseThrow(() -> new AssertionError(stepType + " not found; problems: "
                + catalog.problems())).type();
        try (StepHarness h = StepHarness.of(type).workspace(tmp).stateDir(Files.createTempDirectory(tmp, "state"))) {
            return h.run().outputs().get("said");
        }
    }

    private static String problemsOf(StepCatalog catalog, String plugin) {
        return String.join("; ", catalog.problems().stream().filter(p -> p.plugin().equals(plugin)).map(StepCatalog.Problem::reason).toList());
    }

    @Test
    void aZipInThePluginsDirIsLoadedAndItsStepRuns() throws Exception {
        Path dir = tmp.resolve("plugins");
        TestPlugin.withStep("hello", "hello", "\"hi\"").writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertEquals(List.of(), catalog.problems());
        assertEquals("hi", said(catalog, "hello"));
        StepCatalog.PluginInfo info = catalog.plugins().get(0);
        assertEquals("hello", info.id());
        assertEquals("1.2.3", info.version());
        assertTrue(info.location().startsWith(dir.toString()), info.location());
    }

    @Test
    void anUnpackedPluginFolderInThePluginsDirIsLoaded() throws Exception {
        Path dir = tmp.resolve("plugins");
        TestPlugin.withStep("hello", "hello/greet", "\"hi\"").writeDir(dir);
        StepCatalog catalog = loadFrom(dir);
        assertEquals(List.of(), catalog.problems());
        assertEquals("hi", said(catalog, "hello/greet"));
    }

    @Test
    void pluginsOfTheDistributionAreLoadedFromSlipwayHomePlugins() throws Exception {
        Path home = tmp.resolve("slipway");
        TestPlugin.withStep("bundled", "bundled", "\"from home\"").writeDir(home.resolve("plugins"));
        StepCatalog catalog = load(Optional.of(home.resolve("plugins")), List.of(), Optional.empty());
        assertEquals(List.of(), catalog.problems());
        assertEquals("from home", said(catalog, "bundled"));
    }

    @Test
    void aBuiltPluginModuleOfTheSourceTreeIsLoadedFromTargetClasses() throws Exception {
        Path root = tmp.resolve("checkout");
        Path module = TestPlugin.withStep("dev", "dev", "\"from target/classes\"").writeSourceModule(root);
        // An unbuilt module next to it is not a plugin yet and is not an error either.
        Files.createDirectories(root.resolve("plugins/unbuilt"));
        Files.writeString(root.resolve("plugins/unbuilt/plugin.properties"), "plugin.id=unbuilt\nplugin.version=0.1.0\n");
        StepCatalog catalog = load(Optional.empty(), List.of(), Optional.of(root));
        assertEquals(List.of(), catalog.problems());
        assertEquals("from target/classes", said(catalog, "dev"));
        assertEquals(module.toString(), catalog.plugins().get(0).location());
    }

    @Test
    void aCorruptZipIsReportedByNameAndTheOtherPluginsStillLoad() throws Exception {
        Path dir = tmp.resolve("plugins");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("broken.zip"), "this is not a zip");
        TestPlugin.withStep("hello", "hello", "\"hi\"").writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertEquals(1, catalog.problems().size(), catalog.problems()::toString);
        assertEquals("broken.zip", catalog.problems().get(0).plugin());
        assertEquals("hi", said(catalog, "hello"));
    }

    @Test
    void aPluginRequiringANewerSpiIsReportedWithBothVersionsAndTheOthersStillLoad() throws Exception {
        Path dir = tmp.resolve("plugins");
        TestPlugin.withStep("future", "future", "\"x\"").requires(">=9.0.0").writeZip(dir);
        TestPlugin.withStep("hello", "hello", "\"hi\"").writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        String reason = problemsOf(catalog, "future");
        assertTrue(reason.contains(">=9.0.0") && reason.contains(io.slipway.spi.Spi.VERSION), catalog.problems()::toString);
        assertTrue(catalog.find("future").isEmpty());
        assertEquals("hi", said(catalog, "hello"));
    }

    @Test
    void aPluginWhoseStepNeedsAClassItDidNotBundleIsReportedNamingTheClass() throws Exception {
        Path dir = tmp.resolve("plugins");
        Path lib = TestPlugin.libraryJar(tmp.resolve("libs/markdown.jar"), Map.of("org.example.md.Markdown", """
                package org.example.md;
                public class Markdown { public static String render() { return "<p>"; } }
                """));
        TestPlugin.of("careless").compileAgainst(lib).source("test.careless.Render", """
                package test.careless;
                import io.slipway.spi.*;
                import java.util.List;
                @org.pf4j.Extension
                public class Render extends org.example.md.Markdown implements StepType {
                    public String id() { return "careless"; }
                    public String description() { return "Needs a library it does not bundle."; }
                    public List<InputSpec> inputs() { return List.of(); }
                    public StepResult run(StepContext ctx) { return StepResult.success(); }
                }
                """).writeZip(dir);
        TestPlugin.withStep("hello", "hello", "\"hi\"").writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        String reason = problemsOf(catalog, "careless");
        assertTrue(reason.contains("org/example/md/Markdown") || reason.contains("org.example.md.Markdown"),
                catalog.problems()::toString);
        assertEquals("hi", said(catalog, "hello"));
    }

    /** The jars of Jackson on this test's class path (the runner has them too). */
    private static List<Path> jacksonJars() throws Exception {
        List<Path> jars = new java.util.ArrayList<>();
        for (Class<?> c : List.of(com.fasterxml.jackson.databind.ObjectMapper.class, com.fasterxml.jackson.core.JsonFactory.class,
                com.fasterxml.jackson.annotation.JsonProperty.class)) {
            jars.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return jars;
    }

    /**
     * A plugin whose step writes JSON with Jackson, through a helper class of its own, only when it
     * runs: the JVM would look for Jackson only then, in the middle of a release.
     */
    static TestPlugin jsonPlugin(String id) {
        String pkg = "test." + id;
        return TestPlugin.of(id).source(pkg + ".Step", """
                package %s;
                import io.slipway.spi.*;
                import java.util.List;
                @org.pf4j.Extension
                public class Step implements StepType {
                    public String id() { return "%s"; }
                    public String description() { return "Says it in JSON."; }
                    public List<InputSpec> inputs() { return List.of(); }
                    public List<OutputSpec> outputs() { return List.of(new OutputSpec("said", InputType.STRING, "what it said")); }
                    public StepResult run(StepContext ctx) throws Exception { ctx.output("said", Json.of("hi")); return StepResult.success(); }
                }
                """.formatted(pkg, id)).source(pkg + ".Json", """
                package %s;
                final class Json {
                    static String of(String text) throws Exception {
                        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of("text", text));
                    }
                }
                """.formatted(pkg));
    }

    @Test
    void aPluginThatUsesALibraryOfTheRunnerWithoutBundlingItIsNotLoaded() throws Exception {
        Path dir = tmp.resolve("plugins");
        jsonPlugin("careless").compileAgainst(jacksonJars()).writeZip(dir);
        TestPlugin.withStep("hello", "hello", "\"hi\"").writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertEquals("its extension test.careless.Step cannot be loaded because class com.fasterxml.jackson.databind.ObjectMapper"
                + " is missing; bundle the library that has it in the plugin's lib/", problemsOf(catalog, "careless"));
        assertTrue(catalog.find("careless").isEmpty(), "a step type that cannot run must not be usable");
        assertEquals("hi", said(catalog, "hello"));
    }

    @Test
    void aCompletePluginIsRememberedAndOnceItsJarsChangeItIsCheckedAgain() throws Exception {
        Path dir = tmp.resolve("plugins");
        Path checked = tmp.resolve("checked");
        Sources sources = new Sources(Optional.empty(), List.of(dir), Optional.empty());
        jsonPlugin("json").bundle(jacksonJars()).writeDir(dir);
        assertEquals(List.of(), PluginDiscovery.load(sources, List.of(), Optional.of(checked)).problems());
        assertEquals(1, entries(checked), "the complete extension is remembered");

        // Somebody takes Jackson out of the plugin's lib/.
        for (Path jar : jacksonJars()) {
            Files.delete(dir.resolve("json/lib").resolve(jar.getFileName()));
        }
        StepCatalog again = PluginDiscovery.load(sources, List.of(), Optional.of(checked));
        assertEquals("its extension test.json.Step cannot be loaded because class com.fasterxml.jackson.databind.ObjectMapper"
                + " is missing; bundle the library that has it in the plugin's lib/", problemsOf(again, "json"));
        assertEquals(1, entries(checked), "a class found missing is not remembered");
    }

    private static long entries(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void aPluginThatBundlesTheLibraryItUsesLoadsAndRunsWithIt() throws Exception {
        Path dir = tmp.resolve("plugins");
        jsonPlugin("careful").bundle(jacksonJars()).writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertEquals(List.of(), catalog.problems());
        assertEquals("{\"text\":\"hi\"}", said(catalog, "careful"));
    }

    @Test
    void aPluginSeesOnlyTheSpiPf4jAndSlf4jOfTheRunner() throws Exception {
        Path dir = tmp.resolve("plugins");
        String loads = "java.util.stream.Stream.of(%s).map(n -> { try { Class.forName(n, false, getClass().getClassLoader()); return n; }"
                + " catch (ClassNotFoundException e) { return \"-\"; } }).collect(java.util.stream.Collectors.joining(\",\"))";
        TestPlugin.withStep("curious", "curious", loads.formatted(String.join(", ",
                "\"io.slipway.spi.StepType\"", "\"org.pf4j.Extension\"", "\"org.slf4j.LoggerFactory\"", "\"java.net.http.HttpClient\"",
                "\"com.fasterxml.jackson.databind.ObjectMapper\"", "\"io.slipway.runner.plugin.PluginDiscovery\"",
                "\"org.eclipse.jgit.api.Git\""))).writeZip(dir);
        assertEquals("io.slipway.spi.StepType,org.pf4j.Extension,org.slf4j.LoggerFactory,java.net.http.HttpClient,-,-,-",
                said(loadFrom(dir), "curious"));
    }

    @Test
    void twoPluginsBundlingDifferentVersionsOfOneLibraryEachUseTheirOwn() throws Exception {
        Path dir = tmp.resolve("plugins");
        String greeting = """
                package org.example.greeting;
                public class Greeting { public static String text() { return "%s"; } }
                """;
        Path v1 = TestPlugin.libraryJar(tmp.resolve("libs/v1/greeting-1.0.jar"), Map.of("org.example.greeting.Greeting", greeting.formatted("greeting 1.0")));
        Path v2 = TestPlugin.libraryJar(tmp.resolve("libs/v2/greeting-2.0.jar"), Map.of("org.example.greeting.Greeting", greeting.formatted("greeting 2.0")));
        TestPlugin.greeter("older").bundle(v1).writeZip(dir);
        TestPlugin.greeter("newer").bundle(v2).writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertEquals(List.of(), catalog.problems());
        assertEquals("greeting 1.0", said(catalog, "older"));
        assertEquals("greeting 2.0", said(catalog, "newer"));
    }

    @Test
    void aBundledLibraryWithAnExtensionIndexOfItsOwnDoesNotHideThePluginsSteps() throws Exception {
        Path dir = tmp.resolve("plugins");
        // The PF4J annotation processor writes an empty index into any jar compiled with pf4j on the
        // class path; PF4J alone reads only the first index it finds.
        Path lib = TestPlugin.libraryJar(tmp.resolve("libs/aaa-util.jar"), Map.of("org.example.util.Util", """
                package org.example.util;
                public class Util { }
                """));
        TestPlugin.withStep("zzz", "zzz", "\"found\"").bundle(lib).writeZip(dir);
        assertEquals("found", said(loadFrom(dir), "zzz"));
    }

    @Test
    void aPluginWithoutAnExtensionIndexIsReportedAsContributingNothing() throws Exception {
        Path dir = tmp.resolve("plugins");
        TestPlugin.withStep("forgetful", "forgetful", "\"x\"").withoutAnnotationProcessor().writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertTrue(problemsOf(catalog, "forgetful").contains("it contributes no step types"), catalog.problems()::toString);
    }

    @Test
    void aStepTypeNotNamedAfterItsPluginIsRefused() throws Exception {
        Path dir = tmp.resolve("plugins");
        TestPlugin.withStep("tagging-extras", "git-tag", "\"x\"").writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertTrue(catalog.find("git-tag").isEmpty());
        String reason = problemsOf(catalog, "tagging-extras");
        assertTrue(reason.contains("\"git-tag\"") && reason.contains("\"tagging-extras/<name>\""), catalog.problems()::toString);
    }

    @Test
    void aStepTypeWhoseDefaultItsOwnTypeRefusesIsAPluginProblemAtLoad() throws Exception {
        Path dir = tmp.resolve("plugins");
        TestPlugin.of("careless").source("test.careless.Step", """
                package test.careless;
                import io.slipway.spi.*;
                import java.util.List;
                @org.pf4j.Extension
                public class Step implements StepType {
                    public String id() { return "careless"; }
                    public String description() { return "Declares a default of the wrong type."; }
                    public List<InputSpec> inputs() { return List.of(InputSpec.optional("retries", InputType.INTEGER, "three", "how often")); }
                    public StepResult run(StepContext ctx) { return StepResult.success(); }
                }
                """).writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertTrue(catalog.find("careless").isEmpty(), "a step type with a broken declaration must not be usable");
        String reason = problemsOf(catalog, "careless");
        assertTrue(reason.contains("its step type \"careless\" declares a default for input \"retries\" that it does not accept itself"),
                catalog.problems()::toString);
    }

    @Test
    void aPluginCannotReplaceABuiltInStepType() throws Exception {
        Path dir = tmp.resolve("plugins");
        TestPlugin.withStep("log", "log", "\"impostor\"").writeZip(dir);
        StepType builtIn = new io.slipway.runner.builtin.LogStep();
        StepCatalog catalog = PluginDiscovery.load(new PluginDiscovery.Sources(Optional.empty(), List.of(dir), Optional.empty()),
                List.of(builtIn), Optional.empty());
        assertEquals("built-in", catalog.find("log").orElseThrow().origin());
        assertTrue(problemsOf(catalog, "log").contains("is built into the runner"), catalog.problems()::toString);
    }

    @Test
    void aPluginThatBundlesItsOwnCopyOfTheSpiIsReported() throws Exception {
        Path dir = tmp.resolve("plugins");
        Path spi = Path.of(StepType.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path spiJar = Files.isDirectory(spi) ? TestPlugin.jarOf(spi, tmp.resolve("libs/slipway-spi.jar")) : spi;
        TestPlugin.withStep("greedy", "greedy", "\"x\"").bundle(spiJar).writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertTrue(catalog.find("greedy").isEmpty());
        assertTrue(problemsOf(catalog, "greedy").contains("make those dependencies provided"), catalog.problems()::toString);
    }

    @Test
    void aPluginsDirThatDoesNotExistIsReported() {
        Path missing = tmp.resolve("no-such-dir");
        StepCatalog catalog = loadFrom(missing);
        assertEquals(List.of(new StepCatalog.Problem(missing.toString(), "the plugins folder does not exist")), catalog.problems());
    }

    /**
     * Library plugins ({@code slipway.library=true}): the libraries several plugins share, once. A
     * plugin that names one in {@code plugin.dependencies} uses its classes; one that does not is
     * isolated from them as from the runner's.
     */
    @Nested
    class LibraryPlugins {

        @Test
        void aPluginThatNamesALibraryPluginUsesItsClassesAndTheLibraryIsListedApart() throws Exception {
            Path dir = tmp.resolve("plugins");
            Path greeting = TestPlugin.greetingJar(tmp.resolve("libs/greeting-1.0.jar"));
            // "zlib" sorts after "hello": a plugin may be found before the library it names.
            TestPlugin.of("zlib").library().bundle(greeting).writeZip(dir);
            TestPlugin.greeter("hello").compileAgainst(greeting).dependsOn("zlib").writeDir(dir);
            StepCatalog catalog = loadFrom(dir);
            assertEquals(List.of(), catalog.problems());
            assertEquals("greeting 1.0", said(catalog, "hello"));
            assertEquals(List.of("hello"), catalog.plugins().stream().map(StepCatalog.PluginInfo::id).toList(), "a library is no step plugin");
            assertEquals(1, catalog.libraries().size(), catalog.libraries()::toString);
            StepCatalog.Library library = catalog.libraries().get(0);
            assertEquals("zlib", library.id());
            assertEquals(List.of("hello"), library.usedBy());
        }

        @Test
        void aPluginThatUsesALibraryPluginsClassWithoutNamingItIsReportedAsMissingTheClass() throws Exception {
            Path dir = tmp.resolve("plugins");
            Path greeting = TestPlugin.greetingJar(tmp.resolve("libs/greeting-1.0.jar"));
            TestPlugin.of("zlib").library().bundle(greeting).writeZip(dir);
            TestPlugin.greeter("careless").compileAgainst(greeting).writeZip(dir);
            TestPlugin.greeter("hello").compileAgainst(greeting).dependsOn("zlib").writeZip(dir);
            StepCatalog catalog = loadFrom(dir);
            assertEquals("its extension test.careless.Step cannot be loaded because class org.example.greeting.Greeting"
                    + " is missing; bundle the library that has it in the plugin's lib/", problemsOf(catalog, "careless"));
            assertTrue(catalog.find("careless").isEmpty(), "a step type that cannot run must not be usable");
            assertEquals("greeting 1.0", said(catalog, "hello"));
        }

        @Test
        void aLibraryPluginDoesNotLetThePluginsThatNameItSeeTheRunnersLibraries() throws Exception {
            Path dir = tmp.resolve("plugins");
            TestPlugin.of("zlib").library().bundle(TestPlugin.greetingJar(tmp.resolve("libs/greeting-1.0.jar"))).writeZip(dir);
            jsonPlugin("careless").dependsOn("zlib").compileAgainst(jacksonJars()).writeZip(dir);
            StepCatalog catalog = loadFrom(dir);
            assertEquals("its extension test.careless.Step cannot be loaded because class com.fasterxml.jackson.databind.ObjectMapper"
                    + " is missing; bundle the library that has it in the plugin's lib/", problemsOf(catalog, "careless"));
        }

        @Test
        void pluginsThatNameALibraryPluginWithJacksonRunWithIt() throws Exception {
            Path dir = tmp.resolve("plugins");
            TestPlugin.of("json").library().bundle(jacksonJars()).writeDir(dir);
            jsonPlugin("first").dependsOn("json").writeZip(dir);
            jsonPlugin("second").dependsOn("json").writeZip(dir);
            StepCatalog catalog = loadFrom(dir);
            assertEquals(List.of(), catalog.problems());
            assertEquals("{\"text\":\"hi\"}", said(catalog, "first"));
            assertEquals("{\"text\":\"hi\"}", said(catalog, "second"));
            assertEquals(List.of("first", "second"), catalog.libraries().get(0).usedBy());
        }

        @Test
        void aPluginThatNeedsANewerLibraryThanTheInstalledOneIsNotLoadedAndSaysWhichItNeeds() throws Exception {
            Path dir = tmp.resolve("plugins");
            Path greeting = TestPlugin.greetingJar(tmp.resolve("libs/greeting-1.0.jar"));
            Path library = TestPlugin.of("greetings").library().bundle(greeting).writeZip(dir); // version 1.2.3
            TestPlugin.greeter("hello").compileAgainst(greeting)
                    .dependsOn("greetings@>=2.0.0").writeZip(dir);
            TestPlugin.greeter("howdy").compileAgainst(greeting)
                    .dependsOn("greetings@>=1.0.0").writeZip(dir);
            StepCatalog catalog = loadFrom(dir);
            assertTrue(problemsOf(catalog, "hello").startsWith("it needs plugin greetings >=2.0.0 and the one installed is 1.2.3 ("),
                    problemsOf(catalog, "hello"));
            assertTrue(catalog.find("hello").isEmpty());
            assertEquals("greeting 1.0", said(catalog, "howdy"));
            assertEquals(List.of("howdy"), catalog.libraries().get(0).usedBy(), library::toString);
        }

        @Test
        void aMissingLibraryPluginIsOneProblemNamingThePluginsThatNeedItAndTheOthersStillLoad() throws Exception {
            Path dir = tmp.resolve("plugins");
            Path greeting = TestPlugin.greetingJar(tmp.resolve("libs/greeting-1.0.jar"));
            TestPlugin.greeter("alpha").compileAgainst(greeting).dependsOn("gone").writeDir(dir);
            TestPlugin.greeter("beta").compileAgainst(greeting).dependsOn("gone").writeZip(dir);
            TestPlugin.withStep("hello", "hello", "\"hi\"").writeZip(dir);
            StepCatalog catalog = loadFrom(dir);
            assertEquals(List.of(new StepCatalog.Problem("gone", "it is not installed, and alpha and beta need it, so their step types"
                    + " are not available; reinstall Slipway, or put the plugin gone back into " + dir, List.of("alpha", "beta"))),
                    catalog.problems());
            assertTrue(catalog.find("alpha").isEmpty() && catalog.find("beta").isEmpty());
            assertEquals("hi", said(catalog, "hello"));
        }
    }
}
