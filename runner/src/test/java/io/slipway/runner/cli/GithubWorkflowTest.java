package io.slipway.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code runner github-workflow}: the workflow it prints, read back with a YAML parser, and the
 * errors it stops with. In-process: nothing runs but the script's evaluation.
 */
class GithubWorkflowTest {

    /** The shape of the reference pipeline: checks, build, an optional rehearsal, then approval and upload. */
    private static final String SCRIPT = """
            val rehearsal = param("rehearsal-repository", "testpypi")
            pipeline("release") {
                job("preflight") { log("check", "preflight") }
                job("build", needs = "preflight") { run("build", "echo build") }
                if (rehearsal != "none") job("rehearse", needs = "build") { log("upload", "rehearsal") }
                job("publish", needs = if (rehearsal != "none") "rehearse" else "build") {
                    approval("release-manager") { credentials("pypi") }
                    run("upload", "echo upload")
                }
            }
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void repository() throws Exception {
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve("release.kts"), SCRIPT);
    }

    record Result(int exit, String out, String err) {
        @SuppressWarnings("unchecked")
        Map<String, Object> workflow() {
            assertEquals(0, exit, this::toString);
            return new Yaml().load(out);
        }
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("SLIPWAY_CACHE_DIR", Runner.CACHE.toString(),
                "SLIPWAY_HOME", dir.resolve(".no-plugins").toString(), "HOME", System.getProperty("user.home"));
        int exit = Main.run(args, env, dir, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result generate(String... options) {
        return run(Stream.concat(Stream.of("github-workflow", dir.resolve("release.kts").toString()), Stream.of(options))
                .toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String... path) {
        Object at = node;
        for (String key : path) {
            Map<Object, Object> m = (Map<Object, Object>) at;
            // YAML 1.1 (SnakeYAML) reads the key `on` as true; GitHub reads it as "on".
            at = key.equals("on") && !m.containsKey("on") ? m.get(Boolean.TRUE) : m.get(key);
        }
        return (Map<String, Object>) at;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> workflow, String job) {
        return (List<Map<String, Object>>) map(workflow, "jobs", job).get("steps");
    }

    private static Map<String, Object> step(Map<String, Object> workflow, String job, String uses) {
        return steps(workflow, job).stream().filter(s -> String.valueOf(s.get("uses")).startsWith(uses + "@")).findFirst()
                .orElseThrow(() -> new AssertionError("no step uses " + uses + " in " + job));
    }

    /** The run: line that starts the runner in a job. */
    private static String runner(Map<String, Object> workflow, String job) {
        List<String> runs = steps(workflow, job).stream().map(s -> String.valueOf(s.get("run")))
                .filter(r -> r.contains("\nrunner ")).toList();
        assertEquals(1, runs.size(), job + " runs the runner once: " + runs);
        return runs.get(0);
    }

    @Test
    void prepareRunsUpToTheRehearsalAndHandsOffAndPublishResumesInTheEnvironment() {
        Map<String, Object> w = generate().workflow();

        Map<String, Object> inputs = map(w, "on", "workflow_dispatch", "inputs");
        assertEquals(true, map(inputs, "version").get("required"));
        assertEquals(Boolean.FALSE, map(inputs, "approve").get("required"));
        assertNull(map(w, "on").get("push"), "no tag trigger without --on-tag");
        assertEquals(List.of("prepare", "publish"), List.copyOf(map(w, "jobs").keySet()));

        Map<String, Object> prepare = map(w, "jobs", "prepare");
        Map<String, Object> publish = map(w, "jobs", "publish");
        assertEquals("ubuntu-latest", prepare.get("runs-on"));
        assertEquals("ubuntu-latest", publish.get("runs-on"));
        assertEquals("prepare", publish.get("needs"));
        assertEquals("pypi", publish.get("environment"));
        assertEquals(Map.of("id-token", "write", "contents", "write"), publish.get("permissions"));
        assertEquals(Map.of("contents", "read"), w.get("permissions"), "prepare only reads");
        assertNull(prepare.get("permissions"));

        String prep = runner(w, "prepare");
        assertTrue(prep.contains("runner release.kts --version \"$VERSION\" --until rehearse"
                + " --handoff \"$RUNNER_TEMP/release-$VERSION.tgz\""), prep);
        String pub = runner(w, "publish");
        assertTrue(pub.contains("runner release.kts --version \"$VERSION\" --handoff \"$RUNNER_TEMP/handoff/release-$VERSION.tgz\""), pub);
        assertFalse(pub.contains("--until"), pub);
        assertFalse(prep.contains("--set") || pub.contains("--set"));
        assertEquals("${{ needs.prepare.outputs.version }}", map(publish, "env").get("VERSION"));
        assertEquals("${{ steps.version.outputs.version }}", map(prepare, "outputs").get("version"));

        // what prepare uploads is what publish downloads and hands to the runner
        Map<String, Object> upload = map(step(w, "prepare", "actions/upload-artifact"), "with");
        Map<String, Object> download = map(step(w, "publish", "actions/download-artifact"), "with");
        assertEquals(upload.get("name"), download.get("name"));
        assertEquals("${{ runner.temp }}/release-${{ steps.version.outputs.version }}.tgz", upload.get("path"));
        assertEquals("${{ runner.temp }}/handoff", download.get("path"));

        for (String job : List.of("prepare", "publish")) {
            for (Map<String, Object> s : steps(w, job)) {
                if (s.containsKey("uses")) {
                    assertTrue(String.valueOf(s.get("uses")).matches("actions/[a-z-]+@v\\d+\\.\\d+\\.\\d+"), "pinned: " + s.get("uses"));
                }
            }
            assertEquals(0, map(step(w, job, "actions/checkout"), "with").get("fetch-depth"), "full history in " + job);
            assertEquals("17", map(step(w, job, "actions/setup-java"), "with").get("java-version"));
            assertEquals("3.12", map(step(w, job, "actions/setup-python"), "with").get("python-version"));
            Map<String, Object> cache = map(step(w, job, "actions/cache"), "with");
            assertEquals("~/.cache/slipway/scripts", cache.get("path"));
            assertTrue(String.valueOf(cache.get("key")).contains("${{ hashFiles('release.kts') }}"), cache.toString());
        }
        assertEquals("", map(w, "env").get("SLIPWAY_URL"));
        // secrets are only named in comments: the user chooses which (trusted publishing needs none)
        generate().out().lines().filter(l -> l.contains("secrets.")).forEach(l -> assertTrue(l.strip().startsWith("#"), l));
    }

    @Test
    void theOptionsChangeEnvironmentImageVersionsTriggersAndSetKeys() {
        Result r = generate("--environment", "production", "--runs-on", "ubuntu-22.04", "--java-version", "21",
                "--python-version", "3.10", "--on-tag", "--set", "rehearsal-repository=none",
                "--slipway-url", "https://downloads.example.org/slipway-0.1.0.tar.gz");
        Map<String, Object> w = r.workflow();

        assertEquals(List.of("v[0-9]*", "[0-9]*"), map(w, "on", "push").get("tags"));
        assertEquals("${{ inputs.version || github.ref_name }}", map(steps(w, "prepare").get(0), "env").get("GIVEN"));
        assertEquals("production", map(w, "jobs", "publish").get("environment"));
        assertEquals("ubuntu-22.04", map(w, "jobs", "prepare").get("runs-on"));
        assertEquals("ubuntu-22.04", map(w, "jobs", "publish").get("runs-on"));
        assertEquals("21", map(step(w, "publish", "actions/setup-java"), "with").get("java-version"));
        assertEquals("3.10", map(step(w, "prepare", "actions/setup-python"), "with").get("python-version"), "a string, not 3.1");
        assertEquals("https://downloads.example.org/slipway-0.1.0.tar.gz", map(w, "env").get("SLIPWAY_URL"));
        // without a rehearsal, the approval's job follows the build: that is where prepare stops
        assertTrue(runner(w, "prepare").contains("--until build --handoff"), runner(w, "prepare"));
        assertTrue(runner(w, "prepare").contains(" --set rehearsal-repository=none "), runner(w, "prepare"));
        assertTrue(runner(w, "publish").contains(" --set rehearsal-repository=none "), runner(w, "publish"));
        assertTrue(r.out().startsWith("# Releases this repository with Slipway. Generated by:\n#\n#     runner github-workflow "), r.out());
        assertFalse(r.err().contains("--slipway-url"), r.err());
    }

    @Test
    void handoffAfterOverridesTheDerivedJobAndValuesAreQuotedForShellAndYaml() {
        Map<String, Object> w = generate("--handoff-after", "build", "--set", "rehearsal-repository=it's local",
                "--environment", "on").workflow();
        assertEquals("on", map(w, "jobs", "publish").get("environment"), "a name YAML would read as true is quoted");
        String prep = runner(w, "prepare");
        assertTrue(prep.contains("--until build --handoff"), prep);
        assertTrue(prep.contains(" --set 'rehearsal-repository=it'\\''s local' "), prep);
    }

    @Test
    void aScriptInAFolderIsNamedFromTheRepositoryTop() throws Exception {
        Files.createDirectories(dir.resolve("ci"));
        Files.move(dir.resolve("release.kts"), dir.resolve("ci/release.kts"));
        Map<String, Object> w = run("github-workflow", dir.resolve("ci/release.kts").toString()).workflow();
        assertTrue(runner(w, "publish").contains("runner ci/release.kts --version"), runner(w, "publish"));
        assertTrue(String.valueOf(map(step(w, "prepare", "actions/cache"), "with").get("key")).contains("hashFiles('ci/release.kts')"));
    }

    @Test
    void anUnknownHandoffJobIsAUsageErrorListingTheJobs() {
        Result r = generate("--handoff-after", "rehearsal");
        assertEquals(2, r.exit(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().contains("error: --handoff-after rehearsal names no job of pipeline 'release'"), r.err());
        assertTrue(r.err().contains("hint: its jobs: preflight, build, rehearse, publish"), r.err());

        Result last = generate("--handoff-after", "publish");
        assertEquals(2, last.exit(), last::toString);
        assertTrue(last.err().contains("leaves nothing for the publish job"), last.err());
    }

    @Test
    void aPipelineWhoseApprovalFollowsNoSingleJobNeedsHandoffAfter() throws Exception {
        Files.writeString(dir.resolve("release.kts"), """
                pipeline("release") {
                    job("publish") {
                        approval("release-manager") { credentials("pypi") }
                        run("upload", "echo upload")
                    }
                }
                """);
        Result r = generate();
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("publish/release-manager is in job publish, which needs no other job"), r.err());
        assertTrue(r.err().contains("hint: name the job prepare runs up to with --handoff-after JOB; its jobs: publish"), r.err());
    }

    @Test
    void aBrokenScriptOrAnUnknownSetKeyStopsAsValidateDoes() throws Exception {
        Result unknownKey = generate("--set", "repositry=testpypi");
        assertEquals(2, unknownKey.exit(), unknownKey::toString);
        assertTrue(unknownKey.err().contains("known keys: rehearsal-repository"), unknownKey.err());

        Files.writeString(dir.resolve("release.kts"), SCRIPT.replace("job(\"preflight\")", "jb(\"preflight\")"));
        Result broken = generate();
        Result validate = run("validate", dir.resolve("release.kts").toString());
        assertEquals(2, broken.exit(), broken::toString);
        assertEquals("", broken.out());
        assertTrue(broken.err().contains("release.kts:3:"), broken.err());
        assertEquals(validate.err(), broken.err());
    }
}
