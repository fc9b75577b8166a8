package io.slipway.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.spi.StepType;
import io.slipway.testkit.StepHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Library plugins ({@code slipway.library=true}): the libraries several plugins share, once. A plugin
 * that names one in {@code plugin.dependencies} uses its classes; one that does not is isolated from
 * them as from the runner's.
 */
class LibraryPluginTest {

    @TempDir
    Path tmp;

    private static StepCatalog loadFrom(Path pluginsDir) {
        return PluginDiscovery.load(new PluginDiscovery.Sources(Optional.empty(), List.of(pluginsDir), Optional.empty()), List.of());
    }

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

    private Path greetingJar() throws Exception {
        return TestPlugin.libraryJar(tmp.resolve("libs/greeting-1.0.jar"), Map.of("org.example.greeting.Greeting", """
                package org.example.greeting;
                public class Greeting { public static String text() { return "greeting 1.0"; } }
                """));
    }

    @Test
    void aPluginThatNamesALibraryPluginUsesItsClassesAndTheLibraryIsListedApart() throws Exception {
        Path dir = tmp.resolve("plugins");
        Path greeting = greetingJar();
        // "zlib" sorts after "hello": a plugin may be found before the library it names.
        TestPlugin.of("zlib").library().bundle(greeting).writeZip(dir);
        TestPlugin.withStep("hello", "hello", "org.example.greeting.Greeting.text()").compileAgainst(greeting).dependsOn("zlib").writeDir(dir);
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
        Path greeting = greetingJar();
        TestPlugin.of("zlib").library().bundle(greeting).writeZip(dir);
        TestPlugin.withStep("careless", "careless", "org.example.greeting.Greeting.text()").compileAgainst(greeting).writeZip(dir);
        TestPlugin.withStep("hello", "hello", "org.example.greeting.Greeting.text()").compileAgainst(greeting).dependsOn("zlib").writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertEquals("its extension test.careless.Step cannot be loaded because class org.example.greeting.Greeting"
                + " is missing; bundle the library that has it in the plugin's lib/", problemsOf(catalog, "careless"));
        assertTrue(catalog.find("careless").isEmpty(), "a step type that cannot run must not be usable");
        assertEquals("greeting 1.0", said(catalog, "hello"));
    }

    @Test
    void aLibraryPluginDoesNotLetThePluginsThatNameItSeeTheRunnersLibraries() throws Exception {
        Path dir = tmp.resolve("plugins");
        TestPlugin.of("zlib").library().bundle(greetingJar()).writeZip(dir);
        TestPlugin careless = PluginDiscoveryTest.jsonPlugin("careless").dependsOn("zlib");
        for (Path jar : PluginDiscoveryTest.jacksonJars()) {
            careless.compileAgainst(jar);
        }
        careless.writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertEquals("its extension test.careless.Step cannot be loaded because class com.fasterxml.jackson.databind.ObjectMapper"
                + " is missing; bundle the library that has it in the plugin's lib/", problemsOf(catalog, "careless"));
    }

    @Test
    void pluginsThatNameALibraryPluginWithJacksonRunWithIt() throws Exception {
        Path dir = tmp.resolve("plugins");
        TestPlugin json = TestPlugin.of("json").library();
        for (Path jar : PluginDiscoveryTest.jacksonJars()) {
            json.bundle(jar);
        }
        json.writeDir(dir);
        PluginDiscoveryTest.jsonPlugin("first").dependsOn("json").writeZip(dir);
        PluginDiscoveryTest.jsonPlugin("second").dependsOn("json").writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertEquals(List.of(), catalog.problems());
        assertEquals("{\"text\":\"hi\"}", said(catalog, "first"));
        assertEquals("{\"text\":\"hi\"}", said(catalog, "second"));
        assertEquals(List.of("first", "second"), catalog.libraries().get(0).usedBy());
    }

    @Test
    void aMissingLibraryPluginIsOneProblemNamingThePluginsThatNeedItAndTheOthersStillLoad() throws Exception {
        Path dir = tmp.resolve("plugins");
        Path greeting = greetingJar();
        TestPlugin.withStep("alpha", "alpha", "org.example.greeting.Greeting.text()").compileAgainst(greeting).dependsOn("gone").writeDir(dir);
        TestPlugin.withStep("beta", "beta", "org.example.greeting.Greeting.text()").compileAgainst(greeting).dependsOn("gone").writeZip(dir);
        TestPlugin.withStep("hello", "hello", "\"hi\"").writeZip(dir);
        StepCatalog catalog = loadFrom(dir);
        assertEquals(List.of(new StepCatalog.Problem("gone", "it is not installed, and alpha and beta need it, so their step types"
                + " are not available; reinstall Slipway, or put the plugin gone back into " + dir)), catalog.problems());
        assertTrue(catalog.find("alpha").isEmpty() && catalog.find("beta").isEmpty());
        assertEquals("hi", said(catalog, "hello"));
    }
}
