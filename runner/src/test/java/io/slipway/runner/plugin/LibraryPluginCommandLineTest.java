package io.slipway.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.runner.cli.Runner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Library plugins as {@code runner plugins} shows them: apart from the step plugins, and one sentence when one is missing. */
@Tag("process")
class LibraryPluginCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void pluginsListsALibraryPluginAsALibraryWithThePluginsThatUseIt() throws Exception {
        Path plugins = dir.resolve("plugins");
        Path greeting = TestPlugin.greetingJar(dir.resolve("libs/greeting-1.0.jar"));
        Path library = TestPlugin.of("greetings").library().bundle(greeting).writeZip(plugins);
        TestPlugin.greeter("hello").compileAgainst(greeting).dependsOn("greetings").writeZip(plugins);
        Runner.Result r = Runner.run(dir, Map.of(), "plugins", "--plugins-dir", plugins.toString());
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = r.out().lines().toList();
        String location = library.toString().replaceFirst("\\.zip$", "");
        assertTrue(lines.contains("library greetings 1.2.3 (" + location + "), used by hello")
                || lines.contains("library greetings 1.2.3 (" + library + "), used by hello"), r::toString);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("plugin greetings")), r::toString);
        assertTrue(lines.contains("hello  [hello]"), r::toString);
    }

    @Test
    void aMissingLibraryPluginIsOneWarningWithAHintAndNoStackTrace() throws Exception {
        Path plugins = dir.resolve("plugins");
        Path greeting = TestPlugin.greetingJar(dir.resolve("libs/greeting-1.0.jar"));
        TestPlugin.greeter("hello").compileAgainst(greeting).dependsOn("greetings").writeZip(plugins);
        TestPlugin.greeter("howdy").compileAgainst(greeting).dependsOn("greetings").writeZip(plugins);
        Runner.Result r = Runner.run(dir, Map.of(), "plugins", "--plugins-dir", plugins.toString());
        assertEquals(1, r.exit(), r::toString);
        assertEquals(List.of("warning: plugin greetings was not loaded: it is not installed, and hello and howdy need it, so their step types"
                + " are not available; reinstall Slipway, or put the plugin greetings back into " + plugins), r.err().lines().toList());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("plugin greetings NOT LOADED: it is not installed")), r::toString);

        // Asked for by name, a plugin that needs the missing library says why it is not there.
        Runner.Result howdy = Runner.run(dir, Map.of(), "plugins", "howdy", "--plugins-dir", plugins.toString());
        assertEquals(1, howdy.exit(), howdy::toString);
        assertEquals(List.of("plugin greetings NOT LOADED: it is not installed, and hello and howdy need it, so their step types"
                + " are not available; reinstall Slipway, or put the plugin greetings back into " + plugins), howdy.out().lines().toList());
    }

    @Test
    void aFilterThatMatchesNothingSaysSo() throws Exception {
        Runner.Result r = Runner.run(dir, Map.of(), "plugins", "no-such-thing", "--plugins-dir", Files.createDirectories(dir.resolve("plugins")).toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals(List.of("error: no plugin, library or step type id contains \"no-such-thing\"",
                "hint: run runner plugins without a filter to list them all"), r.err().lines().toList());
    }
}
