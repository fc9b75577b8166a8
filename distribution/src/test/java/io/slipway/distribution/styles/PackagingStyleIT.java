package io.slipway.distribution.styles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The root release.kts releases each common packaging style (src/test/resources/styles) from
 * 1.4.0 to 1.5.0, end to end against the embedded index and a bare remote, changing exactly what
 * the style needs. The releases run at the same time in {@link #releaseEveryStyle}; each has its
 * own repository, remote and index ports.
 */
@Tag("process")
class PackagingStyleIT {

    private static final String NO_ISOLATION = "build-args=--no-isolation";
    /** Debian's hatchling declares editables, which Debian does not ship. */
    private static final String HATCHLING = "build-args=--no-isolation --skip-dependency-check";
    private static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();

    /**
     * A fixture, its last release tag, the --set options it needs, whether it gets the full rehearsal
     * (upload + clean-venv smoke; the others skip it to keep the run short), the files the release
     * commit must change, the tag it must get, and text the released files must hold.
     */
    record Style(String fixture, String previousTag, List<String> options, boolean rehearsal,
                 List<String> releaseFiles, String tag, Map<String, String> released) {

        @Override
        public String toString() {
            return fixture;
        }
    }

    static Stream<Style> styles() {
        return Stream.of(
                new Style("setuptools-static", "v1.4.0", List.of(NO_ISOLATION), false,
                        List.of("CHANGELOG.md", "pyproject.toml"), "v1.5.0",
                        Map.of("pyproject.toml", "\nversion = \"1.5.0\"  # bumped by the release pipeline\n",
                                "CHANGELOG.md", "## [Unreleased]\n\n## [1.5.0] - " + TODAY + "\n")),
                new Style("hatch-dunder", "v1.4.0", List.of(HATCHLING, "smoke-pip-args=--no-deps"), true,
                        List.of("src/buoyline/__init__.py"), "v1.5.0",
                        Map.of("src/buoyline/__init__.py", "\n__version__ = '1.5.0'\n")),
                new Style("flit-module", "v1.4.0", List.of(NO_ISOLATION), true,
                        List.of("CHANGELOG.rst", "keelson/__init__.py"), "v1.5.0",
                        Map.of("keelson/__init__.py", "\n__version__ = \"1.5.0\"\n",
                                "CHANGELOG.rst", "\n1.5.0 (" + TODAY + ")\n==================\n")),
                new Style("poetry-core", "v1.4.0", List.of(NO_ISOLATION), false,
                        List.of("pyproject.toml"), "v1.5.0",
                        Map.of("pyproject.toml", "[tool.poetry]\nname = \"capstan\"\nversion = \"1.5.0\"\n")),
                new Style("setuptools-scm", "1.4.0", List.of(NO_ISOLATION), false,
                        List.of("CHANGELOG.md"), "1.5.0",
                        Map.of("CHANGELOG.md", "## Unreleased\n\n## 1.5.0\n\n- Fathoms from metres.\n")),
                new Style("pdm-scm", "v1.4.0", List.of(NO_ISOLATION), false,
                        List.of("CHANGES.txt"), "v1.5.0",
                        Map.of("CHANGES.txt", "1.5.0 (" + TODAY + ")\n  * Freeboard in feet as well as metres.\n\n1.4.0 (2026-06-02)\n")),
                new Style("version-copies", "v1.4.0", List.of(NO_ISOLATION), true,
                        List.of(".bumpversion.cfg", "pyproject.toml", "src/bollard/__init__.py"), "v1.5.0",
                        Map.of(".bumpversion.cfg", "\ncurrent_version = 1.5.0\n",
                                "pyproject.toml", "\nversion = \"1.5.0\"\n",
                                "src/bollard/__init__.py", "\n__version__ = \"1.5.0\"\n",
                                "README.md", "the 1.4.0 tables")),
                // Metadata in setup.cfg, a pyproject.toml with [build-system] and tool tables only; tests run
                // by a shell command line with an environment assignment
                new Style("setup-cfg", "v1.4.0", List.of(NO_ISOLATION,
                        "test-command=PYTHONPATH=src PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m pytest -q -p no:cacheprovider tests"),
                        true, List.of("CHANGES.rst", "setup.cfg"), "v1.5.0",
                        Map.of("setup.cfg", "[metadata]\nname = ropewalk\nversion = 1.5.0\n",
                                "CHANGES.rst", "\n1.5.0 (" + TODAY + ")\n------------------\n\n- Lengths are rounded to two places.\n")),
                // setup.py only, its version computed from the package's __version__ (the build backend tells which)
                new Style("setup-py-computed", "1.4.0", List.of(NO_ISOLATION), true,
                        List.of("NEWS.rst", "mooring/__init__.py"), "1.5.0",
                        Map.of("mooring/__init__.py", "\n__version__ = \"1.5.0\"\n",
                                "NEWS.rst", "\n1.5.0 (" + TODAY + ")\n------------------\n")),
                // trailing comments on the name and version lines, and on a table header; a tag format
                // changed since the last release (v1.4.0), which the preflight still finds
                new Style("commented-pyproject", "v1.4.0", List.of(NO_ISOLATION, "tag-format={version}"), false,
                        List.of("CHANGELOG.md", "pyproject.toml"), "1.5.0",
                        Map.of("pyproject.toml", "\nversion = \"1.5.0\"  # REQUIRED, although can be dynamic\n",
                                "CHANGELOG.md", "## 1.5.0 - " + TODAY + "\n\n- The CLI says what it does.\n")),
                new Style("towncrier", "v1.4.0", List.of(NO_ISOLATION), false,
                        List.of("NEWS.rst", "changes/12.feature", "pyproject.toml"), "v1.5.0",
                        Map.of("NEWS.rst", ".. towncrier release notes start\n\nFairlead 1.5.0 (" + TODAY + ")\n",
                                "pyproject.toml", "\nversion = \"1.5.0\"\n")));
    }

    /**
     * A release the rehearsal's smoke check stops (the release missed a {@code __version__} copy),
     * the fix committed to {@code src/<module>/__init__.py}, and the same command run again, with
     * {@code resume} added (for a static version: {@code --from} the build, as the hint says).
     */
    record FixAndResume(String fixture, String module, List<String> resume) {

        String fixedInit() {
            return "\"\"\"The fixed module.\"\"\"\n\nfrom importlib.metadata import version\n\n__version__ = version(\""
                    + module + "\")\n";
        }

        @Override
        public String toString() {
            return fixture;
        }
    }

    static Stream<FixAndResume> fixes() {
        return Stream.of(
                new FixAndResume("scm-missed-copy", "hawser", List.of()),
                new FixAndResume("static-missed-copy", "bitt", List.of("--from", "build/python-build")));
    }

    /** What a fix-and-resume left: both exit codes; after the failed run, production, remote tags, the local tag. */
    record Resumed(List<Integer> exits, List<Path> productionAfterFailure, Map<String, ObjectId> remoteTagsAfterFailure,
                   ObjectId localTagAfterFailure, ObjectId fixCommit) {
    }

    static final Map<String, StyleRepo> fixRepos = new ConcurrentHashMap<>();
    static final Map<String, Resumed> resumed = new ConcurrentHashMap<>();

    @TempDir
    static Path dir;
    static final Map<String, StyleRepo> repos = new ConcurrentHashMap<>();
    static final Map<String, Integer> exits = new ConcurrentHashMap<>();

    @BeforeAll
    static void releaseEveryStyle() throws Exception {
        List<Style> all = styles().toList();
        for (Style style : all) {
            repos.put(style.fixture(), StyleRepo.create(style.fixture(), style.previousTag(), dir.resolve(style.fixture())));
        }
        for (FixAndResume f : fixes().toList()) {
            fixRepos.put(f.fixture(), StyleRepo.create(f.fixture(), "v1.4.0", dir.resolve(f.fixture())));
        }
        // One compile of release.kts before the releases, which then all find it in the cache.
        StyleRepo first = repos.get(all.get(0).fixture());
        assertEquals(0, first.validate(), () -> console(first));
        ExecutorService pool = Executors.newFixedThreadPool(all.size() + fixRepos.size());
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (Style style : all) {
                List<String> options = new ArrayList<>(List.of("--set", "rehearsal-repository=" + (style.rehearsal() ? "local" : "none")));
                style.options().forEach(o -> options.addAll(List.of("--set", o)));
                runs.add(pool.submit(() -> exits.put(style.fixture(), repos.get(style.fixture()).release(options))));
            }
            List<String> rehearsed = List.of("--set", NO_ISOLATION, "--set", "rehearsal-repository=local");
            for (FixAndResume f : fixes().toList()) {
                runs.add(pool.submit(() -> {
                    StyleRepo repo = fixRepos.get(f.fixture());
                    int failed = repo.release(rehearsed);
                    List<Path> production = repo.productionFiles();
                    Map<String, ObjectId> tags = repo.remoteTags();
                    ObjectId tag = repo.localTag("v1.5.0");
                    ObjectId fix = repo.commit("src/" + f.module() + "/__init__.py", f.fixedInit(),
                            f.module() + ": __version__ from the installed metadata");
                    List<String> again = new ArrayList<>(rehearsed);
                    again.addAll(f.resume());
                    int released = repo.release(again);
                    resumed.put(f.fixture(), new Resumed(List.of(failed, released), production, tags, tag, fix));
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // Echoed, so target/failsafe-reports/*-output.txt has every release's console.
        for (Style style : all) {
            System.out.println("==== " + style.fixture() + " (exit " + exits.get(style.fixture()) + ")\n"
                    + repos.get(style.fixture()).consoleText());
        }
        for (FixAndResume f : fixes().toList()) {
            System.out.println("==== " + f + " (exits " + resumed.get(f.fixture()).exits() + ")\n"
                    + fixRepos.get(f.fixture()).consoleText());
        }
    }

    private static StyleRepo released(Style style) throws Exception {
        StyleRepo repo = repos.get(style.fixture());
        assertEquals(0, exits.get(style.fixture()), () -> style + " release failed; console:\n" + console(repo));
        return repo;
    }

    private static String console(StyleRepo repo) {
        try {
            return repo.consoleText().lines().filter(l -> !l.startsWith("  ")).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("styles")
    void theReleaseSucceedsAndARehearsalEndsWithTheSmokeCheck(Style style) throws Exception {
        StyleRepo repo = released(style);
        assertEquals(style.rehearsal(), repo.consoleText().contains("\nok rehearse/smoke "), () -> console(repo));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("styles")
    void thePreflightFindsTheLastReleaseTagInTheRepositorysFormat(Style style) throws Exception {
        StyleRepo repo = released(style);
        assertTrue(repo.consoleText().contains(", 0 commit(s) since " + style.previousTag() + "\n"), () -> console(repo));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("styles")
    void theOneReleaseCommitChangesExactlyTheFilesOfTheStyle(Style style) throws Exception {
        StyleRepo repo = released(style);
        RevCommit head = repo.remoteHead();
        assertEquals(repo.initial, head.getParent(0).getId(), "one commit on top of 1.4.0");
        assertEquals(style.releaseFiles(), repo.changedFiles(head));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("styles")
    void theReleasedFilesHoldTheNewVersionInTheirOwnStyle(Style style) throws Exception {
        StyleRepo repo = released(style);
        RevCommit head = repo.remoteHead();
        for (Map.Entry<String, String> e : style.released().entrySet()) {
            String text = repo.file(head, e.getKey());
            assertTrue(text.contains(e.getValue()), e.getKey() + " lacks [" + e.getValue() + "]:\n" + text);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("styles")
    void theProductionIndexHoldsAnSdistAndAWheelOfTheNewVersion(Style style) throws Exception {
        StyleRepo repo = released(style);
        List<Path> files = repo.productionFiles();
        List<String> names = files.stream().map(f -> f.getFileName().toString()).toList();
        assertEquals(2, files.size(), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.endsWith("-1.5.0.tar.gz")), names.toString());
        Path wheel = files.stream().filter(f -> f.toString().endsWith(".whl")).findFirst().orElseThrow();
        assertTrue(wheel.getFileName().toString().contains("-1.5.0-"), names.toString());
        assertEquals("1.5.0", StyleRepo.wheelVersion(wheel));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("styles")
    void theTagFollowsTheRepositorysConventionAndTagsTheReleaseCommitOnTheRemote(Style style) throws Exception {
        StyleRepo repo = released(style);
        RevCommit head = repo.remoteHead();
        assertEquals(Map.of(style.previousTag(), repo.initial, style.tag(), head.getId()), repo.remoteTags());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("styles")
    void theWorkTreeIsCleanAfterTheRelease(Style style) throws Exception {
        StyleRepo repo = released(style);
        assertEquals(List.of(), repo.status());
    }

    @Test
    void theTestsOfASrcLayoutProjectRunAgainstItsSourcesAndLeaveNoBytecode() throws Exception {
        StyleRepo repo = released(styles().filter(s -> s.fixture().equals("setuptools-static")).findFirst().orElseThrow());
        String console = repo.consoleText();
        assertTrue(console.contains("\nok prepare/tests "), console);
        assertTrue(console.contains("2 passed"), console);
        try (Stream<Path> files = java.nio.file.Files.walk(repo.work)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().equals("__pycache__")).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixes")
    void aMissedVersionCopyStopsTheReleaseAtTheRehearsalAndNothingIsPublished(FixAndResume f) throws Exception {
        StyleRepo repo = fixRepos.get(f.fixture());
        Resumed r = resumed.get(f.fixture());
        String first = repo.consoleText().split("slipway: resuming release")[0];
        assertEquals(1, r.exits().get(0), () -> console(repo));
        assertTrue(first.contains(f.module() + ".__version__ is \"1.4.0\", not the release version 1.5.0"), first);
        assertEquals(List.of(), r.productionAfterFailure());
        assertEquals(Map.of("v1.4.0", repo.initial), r.remoteTagsAfterFailure());
        assertNull(r.localTagAfterFailure(), "no release tag is left behind");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixes")
    void theCommandRunAgainAfterTheFixRebuildsRehearsesAndPublishesTheFix(FixAndResume f) throws Exception {
        StyleRepo repo = fixRepos.get(f.fixture());
        Resumed r = resumed.get(f.fixture());
        assertEquals(List.of(1, 0), r.exits(), () -> console(repo));
        String second = repo.consoleText().split("slipway: resuming release")[1];
        assertTrue(second.contains("its sources changed since"), second);
        assertTrue(second.contains("\nok rehearse/smoke "), second);
        assertEquals(Map.of("v1.4.0", repo.initial, "v1.5.0", r.fixCommit()), repo.remoteTags());
        assertEquals(r.fixCommit(), repo.remoteHead().getId());
        List<Path> files = repo.productionFiles();
        assertEquals(2, files.size(), files.toString());
        Path wheel = files.stream().filter(p -> p.toString().endsWith(".whl")).findFirst().orElseThrow();
        assertEquals("1.5.0", StyleRepo.wheelVersion(wheel));
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(wheel.toFile())) {
            String init = new String(zip.getInputStream(zip.getEntry(f.module() + "/__init__.py")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(f.fixedInit(), init);
        }
    }
}
