package io.slipway.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the runner does with input it must not act on, and with a machine that fails under it: one
 * sentence and a hint, the documented exit code, and no change where the run stopped before
 * changing anything.
 */
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

        var r = RunnerProcess.run(dir, env, args.toArray(String[]::new));

        assertRefused(r, 2, error, hint);
        assertEquals(before, snapshot(dir), "the refused run changed files: " + r);
    }

    /** Exactly one error line and one hint line on stderr. */
    private static void assertRefused(RunnerProcess.Result r, int exit, String error, String hint) {
        assertEquals(exit, r.exit(), r::toString);
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains(error), r::toString);
        assertTrue(lines.get(1).startsWith("hint: ") && lines.get(1).contains(hint), r::toString);
        assertNoStackTrace(r);
    }

    private static void assertNoStackTrace(RunnerProcess.Result r) {
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
