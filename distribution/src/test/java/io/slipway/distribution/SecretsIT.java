package io.slipway.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.plugin.localindex.LocalIndex;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The secrets suite: one secret fed through each credential source, released with the root
 * release.kts and {@code --debug}, once to the end and once failing at the upload; its tests
 * print the secret on stdout and stderr at once, the script prints it while it is evaluated.
 * Then every place a secret must never reach is searched for it: the console, the release log,
 * the journal, report.json and report.md (every file the release left in the work tree), the git
 * history of the repository and of its remote, and the command line of every Python process the
 * release started (the interpreter is a wrapper that records its arguments).
 *
 * <p>All real: a git repository with a bare remote, {@code bin/runner} as a process, an embedded
 * index that takes uploads only with the secret, Debian's build, twine, pip and venv.
 */
@Tag("process")
class SecretsIT {

    private static final Path PROJECT = Path.of("src/test/resources/styles/setuptools-static").toAbsolutePath();
    private static final Path RELEASE_KTS = Path.of("../release.kts").toAbsolutePath();
    private static final String VERSION = "1.5.0";

    /** Where the secret comes from, and how the release is pointed at the index for it. */
    enum Source {
        TWINE_PASSWORD, TARGET_TOKEN, PYPIRC, URL_USER_INFO;

        /** The user the index takes uploads from: API tokens go as __token__. */
        String user() {
            return this == TARGET_TOKEN ? "__token__" : "uploader";
        }
    }

    @TempDir
    Path dir;

    static Stream<Arguments> scenarios() {
        return Stream.of(Source.values()).flatMap(s -> Stream.of(Arguments.of(s, true), Arguments.of(s, false)));
    }

    @ParameterizedTest(name = "{0}, release succeeds: {1}")
    @MethodSource("scenarios")
    void theSecretReachesNoConsoleLogJournalReportHistoryOrCommandLine(Source source, boolean succeeds) throws Exception {
        String secret = "Sw-" + source.name().toLowerCase().replace('_', '-') + "-"
                + HexFormat.of().formatHex(new SecureRandom().generateSeed(6)) + "+x/y";
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("secret.txt"), secret + "\n");
        Path python = recordingPython(home.resolve("argv.txt"));
        Files.writeString(home.resolve("print_secret.py"), """
                import os, sys
                home = os.environ["HOME"]
                secret = open(os.path.join(home, "secret.txt")).read().strip()
                line = "secret: " + secret + " (printed by the tests)\\n"
                # Both streams at once, a character at a time: the runner reads two pipes whose pieces interleave.
                for c in line:
                    sys.stdout.write(c); sys.stdout.flush()
                    sys.stderr.write(c); sys.stderr.flush()
                pypirc = os.path.join(home, ".pypirc")
                if os.path.exists(pypirc):
                    print(open(pypirc).read(), flush=True)
                """);
        Path script = Files.createDirectories(dir.resolve("script")).resolve("release.kts");
        Files.writeString(script, "println(\"evaluating with the secret \" + java.io.File(env(\"HOME\"), \"secret.txt\").readText().trim())\n"
                + Files.readString(RELEASE_KTS));
        SampleRepo repo = SampleRepo.create(dir, PROJECT, "v1.4.0", script);

        try (LocalIndex index = LocalIndex.start(dir.resolve("index"), source.user(), succeeds ? secret : secret + "-is-not-it")) {
            Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString(), "GITHUB_ACTIONS", "false"));
            String repository = index.uploadUrl();
            String indexUrl = index.simpleUrl();
            switch (source) {
                case TWINE_PASSWORD -> env.putAll(Map.of("TWINE_USERNAME", source.user(), "TWINE_PASSWORD", secret));
                case TARGET_TOKEN -> {
                    pypirc(home, "repository = " + index.uploadUrl());
                    env.put("SUITE_TOKEN", secret);
                    repository = "suite";
                }
                case PYPIRC -> {
                    pypirc(home, "repository = " + index.uploadUrl() + "\nusername = " + source.user() + "\npassword = " + secret);
                    repository = "suite";
                }
                case URL_USER_INFO -> {
                    String userInfo = "http://" + source.user() + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "@";
                    repository = index.uploadUrl().replace("http://", userInfo);
                    indexUrl = index.simpleUrl().replace("http://", userInfo);
                }
            }
            Runner.Result run = Runner.run(repo.work, env, List.of("release.kts", "--version", VERSION,
                    "--non-interactive", "--debug", "--python", python.toString(),
                    "--set", "build-args=--no-isolation",
                    "--set", "test-command=" + python + " " + home.resolve("print_secret.py"),
                    "--set", "repository=" + repository, "--set", "index-url=" + indexUrl,
                    "--set", "rehearsal-repository=" + repository, "--set", "rehearsal-index-url=" + indexUrl));

            if (succeeds) {
                assertEquals(0, run.exit(), run.summary());
                assertEquals(2, SampleRepo.indexFiles(index.storage()).size(), run.summary());
                assertTrue(repo.remoteTags().contains("v" + VERSION), run.summary());
            } else {
                assertEquals(1, run.exit(), run.summary());
                assertTrue(run.has("refused the credentials") && run.has("with HTTP 401"), run.summary());
            }
            // The secret was there to leak: printed while evaluating, and by the tests on both streams.
            assertTrue(run.has("evaluating with the secret ***"), run.summary());
            assertTrue(run.count(l -> l.contains("prepare/tests | secret: *** (printed by the tests)")) >= 2, run.output());
            String commandLines = Files.readString(home.resolve("argv.txt"));
            assertTrue(Stream.of("-m build", "-m twine --no-color upload").allMatch(commandLines::contains), commandLines);
            assertEquals(succeeds, commandLines.contains("-m pip --python"), "pip installs for the smoke check:\n" + commandLines);

            List<String> leaks = leaks(List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8)),
                    places(run, commandLines, repo));
            System.out.println("secrets suite: " + source + (succeeds ? ", success" : ", failure") + ": leaks found: "
                    + leaks.size());
            assertEquals(List.of(), leaks);
        }
    }

    /** An interpreter that appends its command line to a file, then runs /usr/bin/python3 with it. */
    private Path recordingPython(Path argv) throws IOException {
        Path python = dir.resolve("home/python");
        Files.writeString(python, "#!/bin/sh\nprintf '%s\\n' \"$0 $*\" >> '" + argv + "'\nexec " + Runner.PYTHON + " \"$@\"\n");
        assertTrue(python.toFile().setExecutable(true));
        return python;
    }

    private static void pypirc(Path home, String section) throws IOException {
        Files.writeString(home.resolve(".pypirc"), "[distutils]\nindex-servers = suite\n\n[suite]\n" + section + "\n");
    }

    /** What the release showed, stored and ran, by place. */
    private static Map<String, String> places(Runner.Result run, String commandLines, SampleRepo repo) throws Exception {
        Map<String, String> places = new LinkedHashMap<>();
        places.put("console", run.output());
        places.put("command lines of the Python children", commandLines);
        // The work tree holds the log, the journal, report.json and report.md (.slipway/), and the built files.
        try (Stream<Path> files = Files.walk(repo.work)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !repo.work.relativize(f).startsWith(".git")).toList()) {
                places.put(repo.work.relativize(f).toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        places.put("git history of the repository", gitObjects(repo.work));
        places.put("git history of the remote", gitObjects(repo.remote));
        assertTrue(places.keySet().containsAll(List.of(".slipway/logs/release-" + VERSION + ".log",
                ".slipway/release/" + VERSION + "/journal.json", ".slipway/release/" + VERSION + "/report.json",
                ".slipway/release/" + VERSION + "/report.md")), places.keySet()::toString);
        return places;
    }

    /** Every object of a repository (commits, tags, trees, file contents), uncompressed. */
    private static String gitObjects(Path repository) throws Exception {
        Process git = new ProcessBuilder("git", "-C", repository.toString(), "cat-file", "--batch-all-objects", "--batch")
                .redirectErrorStream(true).start();
        String objects = new String(git.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(git.waitFor(1, TimeUnit.MINUTES) && git.exitValue() == 0, objects);
        return objects;
    }

    /** Each place that holds a form of the secret, with the text around it (the secret itself replaced). */
    private static List<String> leaks(List<String> forms, Map<String, String> places) {
        List<String> leaks = new ArrayList<>();
        places.forEach((place, text) -> forms.stream().filter(text::contains).forEach(form -> {
            int at = text.indexOf(form);
            String around = text.substring(Math.max(0, at - 200), Math.min(text.length(), at + form.length() + 100));
            leaks.add(place + ": ..." + around.replace(form, "<the secret>") + "...");
        }));
        return leaks;
    }
}
