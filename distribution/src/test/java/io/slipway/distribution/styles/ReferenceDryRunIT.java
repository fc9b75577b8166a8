package io.slipway.distribution.styles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.distribution.SampleRepo;
import java.nio.file.Path;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --dry-run} with the root release.kts, the reference pipeline, on two styles: a static
 * version in pyproject.toml (setuptools) and a version from the tag (hatch-vcs, whose build writes a
 * git-ignored version file). Each dry run goes through the rehearsal's upload and smoke check to
 * the end of the pipeline and leaves the repository as it was: every file, tracked, untracked and
 * ignored, byte for byte; every ref; no tag; nothing on the remote or the production index. Then
 * the same command without {@code --dry-run} releases, as a user would next.
 */
@Tag("process")
class ReferenceDryRunIT {

    private static final String HATCHLING = "build-args=--no-isolation --skip-dependency-check";

    /**
     * A fixture, its project's name, its last release tag, its --set options, and the release's edits, which
     * the dry run leaves uncommitted and builds as they are.
     */
    record DryRun(String fixture, String project, String previousTag, List<String> options, List<String> uncommittedEdits) {

        @Override
        public String toString() {
            return fixture;
        }
    }

    static Stream<DryRun> fixtures() {
        return Stream.of(
                new DryRun("setuptools-static", "tidewater", "v1.4.0", List.of("build-args=--no-isolation"),
                        List.of("CHANGELOG.md", "pyproject.toml")),
                new DryRun("hatch-vcs", "binnacle", "v1.4.0", List.of(HATCHLING, "smoke-pip-args=--no-deps"),
                        List.of("CHANGELOG.md")));
    }

    /** What one repository looked like before and after its dry run, and how the runs ended. */
    record Outcome(int dryExit, String dryConsole, Map<String, String> treeBefore, Map<String, String> treeAfter,
                   Map<String, ObjectId> refsBefore, Map<String, ObjectId> refsAfter, ObjectId remoteBefore,
                   ObjectId remoteAfter, Map<String, ObjectId> remoteTagsAfter, List<Path> productionAfter,
                   List<String> statusAfter, int releaseExit) {
    }

    @TempDir
    static Path dir;
    static final Map<String, StyleRepo> repos = new ConcurrentHashMap<>();
    static final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

    @BeforeAll
    static void dryRunThenRelease() throws Exception {
        List<DryRun> all = fixtures().toList();
        for (DryRun d : all) {
            repos.put(d.fixture(), StyleRepo.create(d.fixture(), d.previousTag(), dir.resolve(d.fixture())));
        }
        // One compile of release.kts before the runs, which then find it in the cache.
        StyleRepo first = repos.get(all.get(0).fixture());
        assertEquals(0, first.validate(), () -> console(first));
        ExecutorService pool = Executors.newFixedThreadPool(all.size());
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (DryRun d : all) {
                runs.add(pool.submit(() -> {
                    StyleRepo repo = repos.get(d.fixture());
                    List<String> options = new ArrayList<>(List.of("--set", "rehearsal-repository=local"));
                    d.options().forEach(o -> options.addAll(List.of("--set", o)));
                    Map<String, String> treeBefore = SampleRepo.tree(repo.work);
                    Map<String, ObjectId> refsBefore = repo.localRefs();
                    ObjectId remoteBefore = repo.remoteHead().getId();
                    List<String> dry = new ArrayList<>(options);
                    dry.add("--dry-run");
                    int dryExit = repo.release(dry);
                    String dryConsole = repo.consoleText();
                    Outcome o = new Outcome(dryExit, dryConsole, treeBefore, SampleRepo.tree(repo.work), refsBefore,
                            repo.localRefs(), remoteBefore, repo.remoteHead().getId(), repo.remoteTags(),
                            repo.productionFiles(), repo.status(), repo.release(options));
                    outcomes.put(d.fixture(), o);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // Echoed, so target/failsafe-reports/*-output.txt has every run's console.
        for (DryRun d : all) {
            System.out.println("==== " + d + "\n" + repos.get(d.fixture()).consoleText());
        }
    }

    private static Outcome outcome(DryRun d) {
        return outcomes.get(d.fixture());
    }

    private static String console(StyleRepo repo) {
        try {
            return repo.consoleText().lines().filter(l -> !l.startsWith("  ")).collect(Collectors.joining("\n"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** The console without the steps' own output lines, which are indented. */
    private static String dryConsole(DryRun d) {
        return outcome(d).dryConsole().lines().filter(l -> !l.startsWith("  ")).collect(Collectors.joining("\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theDryRunGoesToItsEnd(DryRun d) {
        assertEquals(0, outcome(d).dryExit(), () -> dryConsole(d));
        String console = dryConsole(d);
        assertTrue(console.contains("\nok rehearse/smoke "), console);
        assertTrue(console.contains("\nok publish/tagging "), console);
        assertTrue(console.contains("\nslipway: release " + StyleRepo.VERSION + " done"), console);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void itIsBuiltFromHeadPlusTheReleasesOwnEditsAndSaysSo(DryRun d) {
        String console = dryConsole(d);
        assertTrue(console.contains("plus the release's uncommitted edits: " + String.join(", ", d.uncommittedEdits()) + "\n"),
                console);
        // the release version also where it comes from the tag, which the dry run puts on the un-bumped commit
        assertTrue(outcome(d).dryConsole().contains("] built " + d.project() + "-" + StyleRepo.VERSION + ".tar.gz, "), console);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFileTrackedUntrackedOrIgnoredIsByteIdenticalAfterwards(DryRun d) {
        Outcome o = outcome(d);
        List<String> added = o.treeAfter().keySet().stream().filter(f -> !o.treeBefore().containsKey(f)).toList();
        List<String> changedOrRemoved = o.treeBefore().keySet().stream()
                .filter(f -> !o.treeBefore().get(f).equals(o.treeAfter().get(f))).toList();
        assertEquals(List.of(), changedOrRemoved, "files changed or removed by the dry run");
        assertEquals(List.of(), added, "files left behind by the dry run");
        assertEquals(List.of(), o.statusAfter(), "git status after the dry run");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyRefIsWhereItWasAndNoTagIsLeft(DryRun d) {
        Outcome o = outcome(d);
        assertEquals(o.refsBefore(), o.refsAfter());
        assertTrue(o.refsAfter().keySet().stream().noneMatch(r -> r.contains(StyleRepo.VERSION)), o.refsAfter().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void nothingReachesTheRemoteOrTheProductionIndex(DryRun d) {
        Outcome o = outcome(d);
        assertEquals(o.remoteBefore(), o.remoteAfter());
        assertEquals(List.of(d.previousTag()), List.copyOf(o.remoteTagsAfter().keySet()));
        assertEquals(List.of(), o.productionAfter());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void theSameCommandWithoutDryRunThenReleasesAndLeavesTheTreeClean(DryRun d) throws Exception {
        StyleRepo repo = repos.get(d.fixture());
        assertEquals(0, outcome(d).releaseExit(), () -> console(repo));
        List<Path> files = repo.productionFiles();
        assertEquals(2, files.size(), files.toString());
        Path wheel = files.stream().filter(f -> f.toString().endsWith(".whl")).findFirst().orElseThrow();
        assertEquals(StyleRepo.VERSION, StyleRepo.wheelVersion(wheel));
        assertEquals(repo.remoteHead().getId(), repo.remoteTags().get("v" + StyleRepo.VERSION));
        assertEquals(List.of(), repo.status());
        assertTrue(SampleRepo.tree(repo.work).keySet().stream().noneMatch(f -> f.endsWith("_version.py")),
                "the version file the build wrote is gone");
    }
}
