package io.slipway.plugin.pythonbuild;

import io.slipway.python.PackageSources;
import io.slipway.python.ProjectName;
import io.slipway.python.project.InspectionException;
import io.slipway.python.project.ProjectInspector;
import io.slipway.python.project.PythonMetadata;
import io.slipway.python.project.VersionSource;
import io.slipway.python.Pep440Version;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.pf4j.Extension;

/**
 * {@code python-build}: sdist and wheel for each package, verified, checked and hashed.
 *
 * <p>Idempotent through the journal: a package whose recorded artifacts still exist with the same
 * sha256, whose sources are as they were right after that build ({@link PackageSources}), is not
 * built again, so a resumed release uploads exactly the files it built before; when the step runs
 * again after a fix (run with {@code --from} the build, or after a tag it needs was made anew),
 * the fixed sources are built. A journal without the digest (an older runner's) keeps its files.
 */
@Extension
public class PythonBuild implements StepType {

    private static final String BUILT = "built:";
    private static final String SOURCES = "sources:";

    @Override
    public String id() {
        return "python-build";
    }

    @Override
    public String description() {
        return "Builds an sdist and a wheel per package with python -m build, verifies their names, runs twine check "
                + "and records their sha256.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
                InputSpec.optional("packages", InputType.LIST, List.of("."),
                        "package directories relative to the workspace, in release order"),
                InputSpec.optional("out-dir", InputType.STRING, null,
                        "directory for all artifacts, relative to the workspace; default each package's dist/"),
                InputSpec.optional("no-isolation", InputType.BOOLEAN, false,
                        "build with the interpreter's installed backend (python -m build --no-isolation), for offline machines"),
                InputSpec.optional("build-args", InputType.LIST, List.of(),
                        "extra arguments for python -m build; without isolation Slipway checks the build requirements"
                                + " once and builds with --skip-dependency-check (give that to skip its check as well)"),
                InputSpec.optional("parallel", InputType.BOOLEAN, true, "build the packages at the same time"));
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(
                new OutputSpec("files", InputType.LIST, "absolute paths of the artifacts, sdist then wheel, in package order"),
                new OutputSpec("sha256", InputType.MAP, "hex sha256 by path"),
                new OutputSpec("sizes", InputType.MAP, "size in bytes by path"));
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        Pep440Version version;
        try {
            version = Pep440Version.parse(ctx.version());
        } catch (IllegalArgumentException e) {
            throw new StepException("the release version \"" + ctx.version() + "\" is not a PEP 440 version",
                    "release a version such as 1.2.0 or 1.2.0rc1");
        }
        Optional<Path> sharedOut = ctx.optionalString("out-dir").map(d -> ctx.workspace().resolve(d).normalize());

        Map<String, List<Artifact>> done = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>();
        List<Path> dirs = ctx.list("packages").stream().map(pkg -> ctx.workspace().resolve(pkg).normalize()).toList();
        for (String pkg : ctx.list("packages")) {
            Path dir = ctx.workspace().resolve(pkg).normalize();
            if (!Files.isRegularFile(dir.resolve("pyproject.toml")) && !Files.isRegularFile(dir.resolve("setup.py"))) {
                throw new StepException("package directory \"" + pkg + "\" has neither pyproject.toml nor setup.py",
                        "list package directories relative to the workspace in the packages input");
            }
            List<Artifact> recorded = recorded(ctx, pkg);
            Optional<String> builtFrom = ctx.journal().get(SOURCES + pkg);
            boolean sourcesChanged = builtFrom.isPresent() && !builtFrom.get().equals(PackageSources.of(dir));
            if (!recorded.isEmpty() && recorded.stream().allMatch(Artifact::unchanged) && !sourcesChanged) {
                ctx.log().info("[" + pkg + "] already built: " + names(recorded));
                done.put(pkg, recorded);
            } else {
                if (!recorded.isEmpty() && sourcesChanged) {
                    ctx.log().info("[" + pkg + "] its sources changed since " + names(recorded) + " were built; building again");
                }
                done.put(pkg, null);
                pending.add(pkg);
            }
        }
        List<String> buildArgs = BuildRequirements.buildArgs(ctx);
        if (!pending.isEmpty() && BuildRequirements.checkedBySlipway(buildArgs)) {
            BuildRequirements.requireMet(ctx, pending);
            buildArgs.add(BuildRequirements.SKIP_CHECK);
        }
        List<PackageBuild> toBuild = new ArrayList<>();
        for (String pkg : pending) {
            Path dir = ctx.workspace().resolve(pkg).normalize();
            Set<Path> nested = dirs.stream().filter(d -> !d.equals(dir) && d.startsWith(dir)).collect(Collectors.toSet());
            toBuild.add(new PackageBuild(ctx, pkg, dir, sharedOut.orElse(dir.resolve("dist")),
                    projectName(ctx, pkg), version, buildArgs, dryRunVersion(ctx, pkg, dir), nested));
        }
        Map<String, Exception> failed = buildAll(ctx, toBuild, ctx.bool("parallel"), done);
        // Every file of the step, those of an earlier run's builds too: a package journaled as built before a crash
        // is checked again, never taken as checked.
        Map<String, List<Path>> toCheck = new LinkedHashMap<>();
        done.forEach((pkg, artifacts) -> {
            if (artifacts != null) {
                toCheck.put(pkg, artifacts.stream().map(Artifact::path).toList());
            }
        });
        if (failed.isEmpty() && !toCheck.isEmpty()) {
            Map<String, StepException> unchecked = TwineCheck.failures(ctx, toCheck);
            // Built again next time: the fix may lie outside the package's sources (a README setup.py reads from elsewhere).
            unchecked.keySet().forEach(pkg -> ctx.journal().remove(BUILT + pkg));
            failed.putAll(unchecked);
        }
        Exception first = null;
        for (String pkg : done.keySet()) {
            Exception failure = failed.get(pkg);
            if (failure != null && first == null) {
                first = failure;
            } else if (failure != null) {
                ctx.log().warn("[" + pkg + "] also failed: " + failure.getMessage());
            }
        }
        if (first != null) {
            throw first;
        }

        List<String> files = new ArrayList<>();
        Map<String, String> sha256 = new LinkedHashMap<>();
        Map<String, String> sizes = new LinkedHashMap<>();
        done.values().stream().flatMap(List::stream).forEach(a -> {
            files.add(a.path().toString());
            sha256.put(a.path().toString(), a.sha256());
            sizes.put(a.path().toString(), Long.toString(a.size()));
        });
        ctx.output("files", files);
        ctx.output("sha256", sha256);
        ctx.output("sizes", sizes);
        return toBuild.isEmpty()
                ? StepResult.success("already built " + files.size() + " files")
                : StepResult.success("built " + files.size() + " files");
    }

    /**
     * How many Python processes of a step run at once for {@code tasks} packages: one more than the cores, not one
     * per package. Builds are CPU-bound: 50 synthetic packages built 50 at a time took 106 s on 2 cores, 2 at a
     * time 84 s and 3 at a time 88 s; three packages 3 at a time 5.0 s, 2 at a time 5.25 s (bench/RESULTS.md).
     */
    static int workers(int tasks) {
        return Math.max(1, Math.min(tasks, Runtime.getRuntime().availableProcessors() + 1));
    }

    /**
     * Runs the builds (at the same time when asked, as many as {@link #workers}), journals each package's artifacts and its
     * sources as the build left them (a backend may write a version file) as soon as it is
     * verified, and returns the failures once all have ended.
     */
    private static Map<String, Exception> buildAll(StepContext ctx, List<PackageBuild> builds, boolean parallel,
                                                   Map<String, List<Artifact>> done) throws InterruptedException {
        Map<String, Exception> failed = new LinkedHashMap<>();
        if (builds.isEmpty()) {
            return failed;
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel ? workers(builds.size()) : 1);
        try {
            List<Future<List<Artifact>>> futures = new ArrayList<>();
            for (PackageBuild build : builds) {
                futures.add(pool.submit(() -> {
                    List<Artifact> artifacts = build.run();
                    ctx.journal().put(BUILT + build.label(),
                            String.join("\n", artifacts.stream().map(Artifact::journalLine).toList()));
                    ctx.journal().put(SOURCES + build.label(), PackageSources.of(build.dir()));
                    ctx.log().info("[" + build.label() + "] built " + names(artifacts));
                    return artifacts;
                }));
            }
            for (int i = 0; i < builds.size(); i++) {
                try {
                    done.put(builds.get(i).label(), futures.get(i).get());
                } catch (ExecutionException e) {
                    failed.put(builds.get(i).label(), e.getCause() instanceof Exception ex ? ex : e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return failed;
    }

    private static List<Artifact> recorded(StepContext ctx, String pkg) {
        return ctx.journal().get(BUILT + pkg)
                .map(v -> v.lines().map(Artifact::fromJournalLine).toList())
                .orElse(List.of());
    }

    private static String names(List<Artifact> artifacts) {
        return String.join(", ", artifacts.stream().map(a -> a.path().getFileName().toString()).toList());
    }

    /**
     * In a dry run, for a package whose version comes from the release tag (setuptools-scm, hatch-vcs,
     * pdm's scm source): the variables that tell its backend the release version. The dry run commits
     * nothing, so its tag, if made, marks the commit before the release with the release's edits
     * uncommitted on top, and the backend would compute a development version from that
     * ({@code 2.0.2.dev0+g0eddaad.d20261130}). A real run builds the tagged release commit and needs none.
     */
    static Map<String, String> dryRunVersion(StepContext ctx, String pkg, Path dir) throws StepException {
        if (!ctx.dryRun()) {
            return Map.of();
        }
        VersionSource source;
        try {
            source = ProjectInspector.versionSource(dir, PythonMetadata.of(ctx.env()));
        } catch (InspectionException e) {
            throw e.toStepException();
        }
        if (!source.fromTag()) {
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        // setuptools-scm, and hatch-vcs through it; pdm-backend; pdm-pep517, its predecessor
        for (String name : List.of("SETUPTOOLS_SCM_PRETEND_VERSION", "PDM_BUILD_SCM_VERSION", "PDM_PEP517_SCM_VERSION")) {
            env.put(name, ctx.version());
        }
        ctx.log().info("[" + pkg + "] dry run: the version comes from " + source.describe(ctx.workspace())
                + ", which marks no release commit in a dry run; the build is given " + ctx.version()
                + " (SETUPTOOLS_SCM_PRETEND_VERSION)");
        return env;
    }

    /** The name the package's files declare (the plan's answer), which its artifacts must carry. */
    private static ProjectName projectName(StepContext ctx, String pkg) throws StepException {
        try {
            return ProjectName.of(new ProjectInspector(ctx.workspace(), PythonMetadata.of(ctx.env()))
                    .name(pkg));
        } catch (InspectionException e) {
            throw e.toStepException();
        }
    }
}
