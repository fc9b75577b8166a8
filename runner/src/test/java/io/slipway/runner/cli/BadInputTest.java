package io.slipway.runner.cli;

import static io.slipway.runner.cli.Runner.lines;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the runner does with input it must not act on, and with a machine that fails under it: one
 * sentence and a hint, the documented exit code, and no change where the run stopped before
 * changing anything.
 */
@Tag("process")
class BadInputTest {

    /** Two steps that each append a line to NAME.count when they run. */
    private static final String SCRIPT = """
            pipeline("release") {
                job("a") {
                    run("first", "echo run >> first.count")
                    run("second", "echo run >> second.count")
                }
            }
            """;

    @TempDir
    Path root;
    Path dir;

    @BeforeEach
    void repository() throws Exception {
        dir = Files.createDirectories(root.resolve("repo"));
        Files.writeString(dir.resolve("release.kts"), SCRIPT);
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            git.add().addFilepattern("release.kts").call();
            git.commit().setMessage("release script").setAuthor("Test", "test@example.org")
                    .setCommitter("Test", "test@example.org").call();
        }
    }

    static Stream<Arguments> refusedBeforeAnythingRuns() {
        Map<String, String> none = Map.of();
        String loop = "while (true) {}\n" + SCRIPT;
        String exit = "System.exit(0)\n" + SCRIPT;
        return Stream.of(
                Arguments.of("not a version", SCRIPT, none, List.of("release.kts", "--version", "abc"),
                        "--version \"abc\" is not a PEP 440 version", "1.2.3rc1"),
                Arguments.of("a path for a version", SCRIPT, none, List.of("release.kts", "--version", "../../x"),
                        "--version \"../../x\" is not a PEP 440 version", "1.2.3"),
                Arguments.of("a local version", SCRIPT, none, List.of("release.kts", "--version", "1.0.0+local"),
                        "--version 1.0.0+local has a local label (+local)", "--version 1.0.0"),
                Arguments.of("a v prefix", SCRIPT, none, List.of("release.kts", "--version", "v0.8.0"),
                        "--version \"v0.8.0\" is not written the way PEP 440 normalises it", "did you mean --version 0.8.0?"),
                Arguments.of("a leading zero", SCRIPT, none, List.of("release.kts", "--version", "01.2.3"),
                        "--version \"01.2.3\" is not written the way PEP 440 normalises it", "did you mean --version 1.2.3?"),
                Arguments.of("a pre-release spelled otherwise", SCRIPT, none, List.of("release.kts", "--version", "1.0.0-RC1"),
                        "--version \"1.0.0-RC1\" is not written the way PEP 440 normalises it", "did you mean --version 1.0.0rc1?"),
                Arguments.of("validate, a v prefix", SCRIPT, none, List.of("validate", "release.kts", "--version", "v1.2"),
                        "--version \"v1.2\" is not written the way PEP 440 normalises it", "did you mean --version 1.2?"),
                Arguments.of("--jobs 0", SCRIPT, none, List.of("release.kts", "--version", "1.0", "--jobs", "0"),
                        "--jobs must be at least 1, not 0", "--jobs 1"),
                Arguments.of("--state-dir a file", SCRIPT, none, List.of("release.kts", "--version", "1.0", "--state-dir", "release.kts"),
                        "--state-dir release.kts is a file, not a folder", "give a folder"),
                Arguments.of("--log-dir a file", SCRIPT, none, List.of("release.kts", "--version", "1.0", "--log-dir", "release.kts"),
                        "--log-dir release.kts is a file, not a folder", "give a folder"),
                Arguments.of("approve and reject the same", SCRIPT, none,
                        List.of("release.kts", "--version", "1.0", "--approve", "manager", "--reject", "manager"),
                        "--approve and --reject both name manager", "decide once"),
                Arguments.of("--plugins-dir missing", SCRIPT, none, List.of("release.kts", "--version", "1.0", "--plugins-dir", "nowhere"),
                        "--plugins-dir nowhere is not a folder", "plugin zips"),
                Arguments.of("a script that never ends", loop, Map.of("SLIPWAY_SCRIPT_TIMEOUT", "2"), List.of("release.kts", "--version", "1.0"),
                        "release.kts: did not finish declaring its pipeline within 2 s", "SLIPWAY_SCRIPT_TIMEOUT=SECONDS"),
                Arguments.of("a script time limit that is no number", SCRIPT, Map.of("SLIPWAY_SCRIPT_TIMEOUT", "soon"),
                        List.of("release.kts", "--version", "1.0"), "SLIPWAY_SCRIPT_TIMEOUT=soon is not a number of seconds", "120"),
                Arguments.of("a script that exits", exit, none, List.of("release.kts", "--version", "1.0"),
                        "release.kts called System.exit while declaring its pipeline", "remove the call"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusedBeforeAnythingRuns(String name, String script, Map<String, String> env, List<String> args, String error,
                                   String hint) throws Exception {
        Files.writeString(dir.resolve("release.kts"), script);
        Map<String, String> before = snapshot(dir);

        // A script that never ends or calls System.exit would spin in this JVM, or end it: those get a process of their own.
        String[] argv = args.toArray(String[]::new);
        var r = script.equals(SCRIPT) ? Runner.run(dir, env, argv) : Runner.start(dir, env, argv).await();

        assertRefused(r, 2, error, hint);
        assertEquals(before, snapshot(dir), "the refused run changed files: " + r);
    }

    @Test
    void aSecondReleaseOfAnotherVersionInTheSameRepositoryWaitsForTheFirst() throws Exception {
        Files.writeString(dir.resolve("release.kts"), """
                pipeline("release") {
                    job("a") { run("hold", "touch held; until [ -f release.ok ]; do sleep 0.1; done") }
                }
                """);
        Runner first = Runner.start(dir, Map.of(), "release.kts", "--version", "1.0");
        Runner.waitFor(dir.resolve("held"), 120);

        var second = Runner.run(dir, "release.kts", "--version", "1.1");
        Files.writeString(dir.resolve("release.ok"), "");

        assertRefused(second, 2, "another runner is already working on release 1.0 of pipeline 'release' (pid "
                + first.process.pid() + ") in ", "one release runs at a time in a repository");
        assertFalse(Files.exists(dir.resolve(".slipway/release/1.1")), "the refused release made its journal folder");
        assertEquals(0, first.await().exit());
    }

    /** Damages the journal of release 1.0 in {@code repo}. */
    private static Prepare damage(UnaryOperator<byte[]> how) {
        return (root, repo) -> {
            Path journal = repo.resolve(".slipway/release/1.0/journal.json");
            Files.write(journal, how.apply(Files.readAllBytes(journal)));
        };
    }

    /** Copies a file or folder, relative to the temp root. */
    private static Prepare copy(String from, String to) {
        return (root, repo) -> {
            try (Stream<Path> all = Files.walk(root.resolve(from))) {
                for (Path p : all.toList()) {
                    Path target = root.resolve(to).resolve(root.resolve(from).relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        };
    }

    @FunctionalInterface
    interface Prepare {
        void apply(Path root, Path repo) throws IOException;
    }

    static Stream<Arguments> aJournalThisReleaseCannotResumeIsRefusedUntilRestartMovesItAside() {
        return Stream.of(
                Arguments.of("cut short", damage(b -> Arrays.copyOf(b, new String(b, StandardCharsets.UTF_8).indexOf("\"status\"") + 4)), "repo",
                        List.of("release.kts", "--version", "1.0"), "release/1.0/journal.json",
                        "is damaged (it is not complete, valid JSON: it breaks at line "),
                Arguments.of("not UTF-8", damage(b -> {
                    b[b.length / 2] = (byte) 0xff;
                    return b;
                }), "repo", List.of("release.kts", "--version", "1.0"), "release/1.0/journal.json",
                        "is damaged (it is not UTF-8 text)"),
                Arguments.of("empty", damage(b -> new byte[0]), "repo", List.of("release.kts", "--version", "1.0"),
                        "release/1.0/journal.json", "is damaged (it is empty)"),
                Arguments.of("a step's status edited to null", damage(b -> new String(b, StandardCharsets.UTF_8)
                        .replaceFirst("\"status\"\\s*:\\s*\"[A-Z]+\"", "\"status\": null").getBytes(StandardCharsets.UTF_8)), "repo",
                        List.of("release.kts", "--version", "1.0"), "release/1.0/journal.json", "is damaged (the status of step "),
                Arguments.of("its runs edited to null", damage(b -> new String(b, StandardCharsets.UTF_8)
                        .replaceFirst("\"runs\"\\s*:\\s*\\[[^\\]]*\\]", "\"runs\": null").getBytes(StandardCharsets.UTF_8)), "repo",
                        List.of("release.kts", "--version", "1.0"), "release/1.0/journal.json", "is damaged (its list of runs is null)"),
                Arguments.of("copied under another version", copy("repo/.slipway/release/1.0", "repo/.slipway/release/1.1"), "repo",
                        List.of("release.kts", "--version", "1.1"), "release/1.1/journal.json",
                        "belongs to another release: it records version 1.0, not 1.1"),
                Arguments.of("a release's, under its dry run", copy("repo/.slipway/release/1.0", "repo/.slipway/release/1.0-dry-run"), "repo",
                        List.of("release.kts", "--version", "1.0", "--dry-run"), "release/1.0-dry-run/journal.json",
                        "belongs to another release: it records a release, not a dry run"),
                Arguments.of("another script's", copy("repo/release.kts", "repo/other.kts"), "repo",
                        List.of("other.kts", "--version", "1.0"), "release/1.0/journal.json",
                        "belongs to another release: it records script release.kts, not other.kts"),
                Arguments.of("copied with the repository", copy("repo", "other"), "other",
                        List.of("release.kts", "--version", "1.0"), "release/1.0/journal.json",
                        "belongs to another release: it records repository {root}/repo, not {root}/other"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void aJournalThisReleaseCannotResumeIsRefusedUntilRestartMovesItAside(String name, Prepare prepare, String runIn,
            List<String> args, String journal, String error) throws Exception {
        assertEquals(0, Runner.run(dir, "release.kts", "--version", "1.0").exit());
        prepare.apply(root, dir);
        Path repo = root.resolve(runIn);
        Path file = repo.resolve(".slipway").resolve(journal);
        byte[] unusable = Files.readAllBytes(file);
        Map<String, String> before = snapshot(repo);

        var refused = Runner.run(repo, Map.of(), args.toArray(String[]::new));

        assertRefused(refused, 2, "the journal " + file + " " + error.replace("{root}", root.toRealPath().toString()), "--restart");
        assertEquals(before, snapshot(repo), "the refused run changed files: " + refused);

        List<String> again = new ArrayList<>(args);
        again.add("--restart");
        var restarted = Runner.run(repo, Map.of(), again.toArray(String[]::new));

        assertEquals(0, restarted.exit(), restarted::toString);
        Matcher moved = Pattern.compile("could not be resumed; it was moved to (\\S+)").matcher(restarted.out());
        assertTrue(moved.find(), restarted::toString);
        Path aside = repo.resolve(moved.group(1));
        assertTrue(aside.getFileName().toString().matches("journal-\\d{8}T\\d{6}Z\\.json"), aside::toString);
        assertArrayEquals(unusable, Files.readAllBytes(aside));
        assertEquals(2, lines(repo.resolve("first.count")), "the release starts over after --restart");
    }

    @Test
    void editingTheScriptBetweenRunsStillResumes() throws Exception {
        Files.writeString(dir.resolve("release.kts"), SCRIPT.replace("echo run >> second.count", "exit 3"));
        assertEquals(1, Runner.run(dir, "release.kts", "--version", "1.0").exit());

        Files.writeString(dir.resolve("release.kts"), "// the second step fixed\n" + SCRIPT);
        var r = Runner.run(dir, "release.kts", "--version", "1.0");

        assertEquals(0, r.exit(), r::toString);
        assertEquals(1, lines(dir.resolve("first.count")), "the step that succeeded must not run again");
        assertEquals(1, lines(dir.resolve("second.count")));
    }

    @Test
    void aJournalThatCannotBeWrittenStopsTheRunWithASentenceAndTheSameCommandResumes() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full, a device every write to fails with 'no space left'");
        // The step makes the journal's next write go to /dev/full, as a disk that just filled up would.
        Files.writeString(dir.resolve("release.kts"), SCRIPT.replace("echo run >> first.count",
                "echo run >> first.count; [ -f filled ] || { touch filled; ln -s /dev/full .slipway/release/1.0/journal.json.tmp; }"));

        var r = Runner.run(dir, "release.kts", "--version", "1.0");

        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("error: cannot write the journal " + dir.resolve(".slipway/release/1.0/journal.json")
                + ": No space left on device\n"), r::toString);
        assertTrue(r.out().contains("hint: make room"), r::toString);
        assertNoStackTrace(r);
        var journal = new ObjectMapper().readTree(dir.resolve(".slipway/release/1.0/journal.json").toFile());
        assertEquals("RUNNING", journal.at("/steps/a~1first/status").asText(), "the journal keeps the last state it wrote");
        assertEquals(0, lines(dir.resolve("second.count")));

        Files.delete(dir.resolve(".slipway/release/1.0/journal.json.tmp"));
        var resumed = Runner.run(dir, "release.kts", "--version", "1.0");

        assertEquals(0, resumed.exit(), resumed::toString);
        assertEquals(2, lines(dir.resolve("first.count")), "the step left running runs again");
        assertEquals(1, lines(dir.resolve("second.count")));
    }

    @Test
    void aReleaseLogThatCannotBeWrittenIsReportedOnceAndTheReleaseGoesOn() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full, a device every write to fails with 'no space left'");
        Path logs = Files.createDirectories(dir.resolve(".slipway/logs"));
        Files.createSymbolicLink(logs.resolve("release-1.0.log"), Path.of("/dev/full"));

        var r = Runner.run(dir, "release.kts", "--version", "1.0");

        assertEquals(0, r.exit(), r::toString);
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("warning: cannot write the release log")
                && l.contains("No space left on device")).count(), r::toString);
        assertNoStackTrace(r);
        assertEquals(1, lines(dir.resolve("second.count")));
        assertTrue(Files.exists(dir.resolve(".slipway/release/1.0/report.md")));
    }

    @Test
    void aScriptCacheThatCannotBeWrittenIsReportedOnceAndTheReleaseGoesOn() throws Exception {
        Path file = Files.writeString(root.resolve("cache"), "a file where the cache folder would go\n");
        Path cache = file.resolve("scripts");

        var r = Runner.run(dir, Map.of("SLIPWAY_CACHE_DIR", cache.toString()), "release.kts", "--version", "1.0");

        assertEquals(0, r.exit(), r::toString);
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("warning: release.kts was compiled, but it could not be kept in "
                + cache) && l.endsWith("set SLIPWAY_CACHE_DIR to a folder this user can write")).count(), r::toString);
        assertNoStackTrace(r);
        assertEquals(1, lines(dir.resolve("second.count")));
        assertTrue(Files.isRegularFile(file), "the file in the way is left as it was");
    }

    /** Exactly one error line and one hint line on stderr. */
    /** Repositories the reference pipeline (the root release.kts) cannot read: file path to content, the error, the hint. */
    static Stream<Arguments> aRepositoryTheReferencePipelineCannotReadIsRefusedAtEvaluation() {
        return Stream.of(
                Arguments.of("no package", Map.of("README.md", "notes\n"),
                        "no Python package found in ", "--set packages="),
                Arguments.of("two packages of one name", Map.of(
                                "packages/a/pyproject.toml", "[project]\nname = \"Same_Name\"\nversion = \"1.0\"\n",
                                "packages/b/pyproject.toml", "[project]\nname = \"same-name\"\nversion = \"1.0\"\n"),
                        "two packages are named same-name: packages/a and packages/b", "rename one"),
                Arguments.of("a version that cannot be located", Map.of("pyproject.toml",
                                "[build-system]\nrequires = [\"setuptools\"]\n[project]\nname = \"lost\"\ndynamic = [\"version\"]\n"),
                        "cannot find where the version of the repository's top is written", "VERSION file"),
                Arguments.of("TOML that does not parse", Map.of("pyproject.toml", "[project\nname = \"broken\"\n"),
                        "pyproject.toml is not valid TOML", "fix the file"),
                Arguments.of("a hatch pattern without a version group", Map.of("pyproject.toml",
                                "[project]\nname = \"p\"\ndynamic = [\"version\"]\n[tool.hatch.version]\npath = \"p.py\"\npattern = \"V = (.*)\"\n",
                                "p.py", "V = 1\n"),
                        "the [tool.hatch.version] pattern has no group named version", "(?P<version>"),
                Arguments.of("a computed version no module holds", Map.of("setup.py",
                                "from setuptools import setup\nsetup(name='computed', version='.'.join(['1', '2']), py_modules=[])\n"),
                        "setup.py in the repository's top computes its version (1.2 says the build backend)", "__version__"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void aRepositoryTheReferencePipelineCannotReadIsRefusedAtEvaluation(String name, Map<String, String> files, String error,
                                                                      String hint) throws Exception {
        Files.copy(Path.of("../release.kts"), dir.resolve("release.kts"), StandardCopyOption.REPLACE_EXISTING);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.createDirectories(dir.resolve(f.getKey()).getParent());
            Files.writeString(dir.resolve(f.getKey()), f.getValue());
        }
        Map<String, String> before = snapshot(dir);

        var r = Runner.run(dir, Map.of(), "release.kts", "--version", "1.0.0", "--python", "/usr/bin/python3");

        assertRefused(r, 2, error, hint);
        assertTrue(r.err().startsWith("error: release.kts:"), "points at the script line that asked: " + r);
        assertEquals(before, snapshot(dir), "the refused run changed files: " + r);
    }

    private static void assertRefused(Runner.Result r, int exit, String error, String hint) {
        assertEquals(exit, r.exit(), r::toString);
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(error), r::toString);
        assertTrue(lines.get(1).startsWith("hint: ") && lines.get(1).contains(hint), r::toString);
        assertNoStackTrace(r);
    }

    private static void assertNoStackTrace(Runner.Result r) {
        assertFalse((r.out() + r.err()).matches("(?s).*(Exception|\\tat |com\\.fasterxml|\\[Source: ).*"), r::toString);
    }

    /** Every file under a folder (the git repository included) by path, with its content's hash; not the runner's own output files. */
    private static Map<String, String> snapshot(Path folder) throws Exception {
        Map<String, String> files = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.toList()) {
                String name = folder.relativize(p).toString();
                if (!Files.isDirectory(p) && !name.matches("runner-.*\\.(out|err)")) {
                    files.put(name, HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
                } else if (Files.isDirectory(p)) {
                    files.put(name + "/", "");
                }
            }
        }
        return files;
    }
}
