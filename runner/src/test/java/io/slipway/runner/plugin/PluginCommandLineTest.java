package io.slipway.runner.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.runner.cli.Runner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins as a user meets them: the runner's command line, a release.kts, and a folder of plugin zips. */
@Tag("process")
class PluginCommandLineTest {

    @TempDir
    static Path plugins;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildPlugin() throws Exception {
        TestPlugin.of("notes").source("test.notes.Publish", """
                package test.notes;
                import io.slipway.spi.*;
                import java.util.List;
                @org.pf4j.Extension
                public class Publish implements StepType {
                    public String id() { return "notes/publish"; }
                    public String description() { return "Posts the release notes to a chat channel."; }
                    public List<InputSpec> inputs() {
                        return List.of(
                                InputSpec.required("channel", InputType.STRING, "where to post"),
                                InputSpec.optional("retries", InputType.INTEGER, 3, "attempts before giving up").withCheck(InputCheck.range(0, 10)),
                                InputSpec.optional("webhook", InputType.STRING, null, "a URL to call as well").withCheck(InputCheck.url()),
                                InputSpec.optional("token", InputType.STRING, null, "the chat API token").asSecret());
                    }
                    public List<OutputSpec> outputs() { return List.of(new OutputSpec("url", InputType.STRING, "the posted message")); }
                    public StepResult run(StepContext ctx) { ctx.output("url", "https://chat/" + ctx.string("channel")); return StepResult.success(); }
                }
                """).writeZip(plugins.resolve("dir"));
    }

    /** What a finished runner left. */
    /**
     * A script where each of the lines 4, 5, 8, 10, 13 and 15 has one problem: the line of the step,
     * or of the input when the problem is one input. Step "first" would leave ran.txt if anything ran.
     */
    private static final String INVALID = """
            pipeline("release") {
                job("notes") {
                    run("first", "touch ran.txt")
                    step("notes/publsh")
                    step("notes/publish")
                    step("notes/publish", id = "unknown") {
                        input("channel", "releases")
                        input("colour", "red")
                    }
                    step("notes/publish", id = "typed") { input("channel", "releases"); input("retries", "many") }
                    step("notes/publish", id = "checked") {
                        input("channel", "releases")
                        input("webhook", "chat.example.com/hook")
                    }
                    step("notes/publish", id = "ranged") { input("channel", "releases"); input("retries", -1) }
                }
            }
            """;

    @Test
    void everyInvalidStepIsReportedWithItsLineAndNothingRuns() throws Exception {
        Files.writeString(dir.resolve("release.kts"), INVALID);
        Runner.Result r = Runner.run(dir, Map.of(), "release.kts", "--version", "1.0.0", "--plugins-dir", plugins.resolve("dir").toString());
        assertEquals(2, r.exit(), r::toString);
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(6, errors.size(), r::toString);
        assertTrue(errors.get(0).matches("error: release\\.kts:4(:\\d+)?: unknown step type \"notes/publsh\"; did you mean \"notes/publish\"\\?.*"), errors.get(0));
        assertTrue(errors.get(1).matches("error: release\\.kts:5(:\\d+)?: .*input 'channel' is required.*"), errors.get(1));
        assertTrue(errors.get(2).matches("error: release\\.kts:8(:\\d+)?: .*unknown input 'colour'; it takes channel, retries, webhook, token"), errors.get(2));
        assertTrue(errors.get(3).matches("error: release\\.kts:10(:\\d+)?: .*input 'retries' must be .*\"many\".*"), errors.get(3));
        assertTrue(errors.get(4).endsWith("release.kts:13: step \"notes/checked\" (notes/publish): input 'webhook' must be an http(s) URL with a host,"
                + " not \"chat.example.com/hook\""), errors.get(4));
        assertTrue(errors.get(5).endsWith("release.kts:15: step \"notes/ranged\" (notes/publish): input 'retries' must be from 0 to 10, not -1"),
                errors.get(5));
        assertFalse(Files.exists(dir.resolve("ran.txt")));
    }

    @Test
    void validateReportsTheSameProblems() throws Exception {
        Files.writeString(dir.resolve("release.kts"), INVALID);
        Runner.Result r = Runner.run(dir, Map.of(), "validate", "release.kts", "--plugins-dir", plugins.resolve("dir").toString());
        assertEquals(2, r.exit(), r::toString);
        assertEquals(6, r.err().lines().filter(l -> l.startsWith("error: release.kts:")).count(), r::toString);
    }

    @Test
    void runnerVersionPrintsSlipwaysOwnVersion() throws Exception {
        Runner.Result r = Runner.run(dir, Map.of(), "--runner-version");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().strip().matches("slipway (\\d+\\.\\d+\\.\\d+\\S*|\\(built from source, no version\\))"), r::toString);
    }

    @Test
    void pluginsListsEachPluginWithItsStepTypesInputsAndOutputs() throws Exception {
        Runner.Result r = Runner.run(dir, Map.of("SLIPWAY_PLUGINS_DIR", plugins.resolve("dir").toString()), "plugins");
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("plugin notes 1.2.3 (" + plugins.resolve("dir").resolve("notes") + ")")
                || lines.contains("plugin notes 1.2.3 (" + plugins.resolve("dir").resolve("notes.zip") + ")"), r::toString);
        int at = lines.indexOf("notes/publish  [notes]");
        assertTrue(at >= 0, r::toString);
        assertEquals(List.of(
                "  Posts the release notes to a chat channel.",
                "  input  channel: string, required - where to post",
                "  input  retries: integer, default 3 - attempts before giving up",
                "  input  webhook: string - a URL to call as well",
                "  input  token: string, secret - the chat API token",
                "  output url: string - the posted message"), lines.subList(at + 1, at + 7));
    }

    @Test
    void aPluginThatDoesNotBundleALibraryItUsesIsReportedByPluginsAndValidate() throws Exception {
        Path careless = dir.resolve("careless-plugins");
        PluginDiscoveryTest.jsonPlugin("careless").writeZip(careless);
        String expected = "warning: plugin careless was not loaded: its extension test.careless.Step cannot be loaded because class"
                + " com.fasterxml.jackson.databind.ObjectMapper is missing; bundle the library that has it in the plugin's lib/";

        Runner.Result listed = Runner.run(dir, Map.of(), "plugins", "--plugins-dir", careless.toString());
        assertEquals(1, listed.exit(), listed::toString);
        assertTrue(listed.err().lines().anyMatch(expected::equals), listed::toString);
        assertTrue(listed.out().lines().anyMatch(l -> l.startsWith("  NOT LOADED: its extension test.careless.Step")), listed::toString);

        Runner.Result filtered = Runner.run(dir, Map.of(), "plugins", "careless", "--plugins-dir", careless.toString());
        assertEquals(List.of("plugin careless", "  NOT LOADED"), filtered.out().lines().filter(l -> !l.isBlank())
                .map(l -> l.replaceAll("( 1\\.2\\.3 \\(|:).*", "")).toList(), "the filter leaves out every other plugin and step type");

        Files.writeString(dir.resolve("release.kts"), """
                pipeline("release") { job("notes") { step("careless") } }
                """);
        Runner.Result validated = Runner.run(dir, Map.of(), "validate", "release.kts", "--plugins-dir", careless.toString());
        assertEquals(2, validated.exit(), validated::toString);
        assertTrue(validated.err().lines().anyMatch(expected::equals), validated::toString);
    }
}
