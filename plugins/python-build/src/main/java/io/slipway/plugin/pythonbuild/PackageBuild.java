package io.slipway.plugin.pythonbuild;

import io.slipway.python.DistributionFile;
import io.slipway.python.Pep440Version;
import io.slipway.python.ProjectName;
import io.slipway.python.Python;
import io.slipway.python.TempFolders;
import io.slipway.spi.ExecRequest;
import io.slipway.spi.ExecResult;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds one package: removes its stale artifacts of other versions from the out dir, runs
 * {@code python -m build} into a private temp dir, checks that exactly one wheel and one sdist of
 * the right project and version came out and moves them into the out dir ({@link TwineCheck} checks them
 * with the other packages' files).
 *
 * <p>Building into a private directory (instead of diffing the out dir) is what lets several
 * packages share one out dir while they build in parallel: whatever lands there is this build's.
 */
final class PackageBuild {

    private final StepContext ctx;
    private final String label;
    private final Path dir;
    private final Path outDir;
    private final ProjectName project;
    private final Pep440Version version;
    private final List<String> buildArgs;
    private final Map<String, String> buildEnv;
    private final Set<Path> nestedPackages;

    /**
     * @param buildEnv       variables for the build on top of the steps' environment (a dry run's version for
     *                       a version from the tag)
     * @param nestedPackages other packages' directories inside this one: their builds are theirs
     */
    PackageBuild(StepContext ctx, String label, Path dir, Path outDir, ProjectName project,
                 Pep440Version version, List<String> buildArgs, Map<String, String> buildEnv, Set<Path> nestedPackages) {
        this.ctx = ctx;
        this.label = label;
        this.dir = dir;
        this.outDir = outDir;
        this.project = project;
        this.version = version;
        this.buildArgs = buildArgs;
        this.buildEnv = Map.copyOf(buildEnv);
        this.nestedPackages = Set.copyOf(nestedPackages);
    }

    Path dir() {
        return dir;
    }

    String label() {
        return label;
    }

    /** Builds and verifies; returns the sdist and the wheel, in that order. */
    List<Artifact> run() throws StepException, IOException {
        // A dry run leaves no trace: the artifacts it adds to the tree are removed when the run ends.
        ctx.preserve(outDir);
        // setuptools leaves <name>.egg-info in the source tree; one this build created goes again, so the
        // next release's clean-tree check does not trip over it.
        String eggInfoName = project.name().replace('-', '_') + ".egg-info";
        List<Path> newEggInfo = Stream.of(dir.resolve(eggInfoName), dir.resolve("src").resolve(eggInfoName))
                .filter(p -> !Files.exists(p)).toList();
        // So do the files it writes there that git ignores, such as a version file of setuptools-scm or hatch-vcs.
        Set<Path> notPackage = new HashSet<>(nestedPackages);
        notPackage.add(outDir);
        BuildLeftovers leftovers = BuildLeftovers.before(dir, notPackage);
        Files.createDirectories(outDir);
        removeStale();
        Path scratch = TempFolders.create("build", ctx.env());
        try {
            Path fresh = Files.createDirectory(scratch.resolve("out"));
            List<String> args = new ArrayList<>(List.of("--outdir", fresh.toString()));
            args.addAll(buildArgs);
            args.add(dir.toString());
            ctx.log().info("[" + label + "] python -m build " + String.join(" ", args));
            // The frontend's own temp folders (the sdist unpacked to build the wheel from) go into the
            // scratch folder: a build killed with the runner leaves them where the next sweep removes them.
            ExecRequest request = Python.module(ctx.env(), "build", args).in(dir).label(label)
                    .env("TMPDIR", TempFolders.childTemp(scratch).toString());
            buildEnv.forEach(request::env);
            ExecResult result = ctx.exec(request);
            if (!result.succeeded()) {
                throw new StepException("building package \"" + label + "\" failed with exit code "
                        + result.exitCode() + ":\n" + result.tail(15), hint(result));
            }
            List<Path> built = new ArrayList<>();
            for (DistributionFile file : verify(fresh)) {
                ctx.preserve(outDir.resolve(file.fileName()));
                built.add(Files.move(fresh.resolve(file.fileName()), outDir.resolve(file.fileName()),
                        StandardCopyOption.REPLACE_EXISTING));
            }
            List<Artifact> artifacts = new ArrayList<>();
            for (Path file : built) {
                artifacts.add(Artifact.of(file));
            }
            return artifacts;
        } finally {
            TempFolders.deleteTree(scratch);
            for (Path eggInfo : newEggInfo) {
                TempFolders.deleteTree(eggInfo); // nothing when the build made none
            }
            try {
                List<String> removed = leftovers.remove();
                if (!removed.isEmpty()) {
                    ctx.log().info("[" + label + "] removed what the build wrote into the source tree (git ignores it): "
                            + String.join(", ", removed));
                }
            } catch (IOException e) {
                ctx.log().warn("[" + label + "] could not look for files the build left in the source tree: " + e.getMessage());
            }
        }
    }

    /** Files of this project with another version. */
    private void removeStale() throws IOException {
        try (Stream<Path> files = Files.list(outDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Optional<DistributionFile> dist = parse(file.getFileName().toString());
                if (dist.isPresent() && dist.get().isOf(project) && !dist.get().version().equals(version)) {
                    ctx.preserve(file);
                    Files.delete(file);
                    ctx.log().info("[" + label + "] removed stale " + file.getFileName());
                }
            }
        }
    }

    /** Exactly one wheel and one sdist, both of this project (PEP 503 name equality) and the release version. */
    private List<DistributionFile> verify(Path scratch) throws IOException, StepException {
        List<String> names;
        try (Stream<Path> files = Files.list(scratch)) {
            names = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        List<DistributionFile> dists = names.stream().map(PackageBuild::parse).flatMap(Optional::stream).toList();
        List<DistributionFile> sdists = dists.stream().filter(d -> d.kind() == DistributionFile.Kind.SDIST).toList();
        List<DistributionFile> wheels = dists.stream().filter(d -> d.kind() == DistributionFile.Kind.WHEEL).toList();
        if (sdists.size() != 1 || wheels.size() != 1) {
            throw new StepException("package \"" + label + "\" built " + names + ", not exactly one sdist and one wheel",
                    "check the build backend's configuration; python-build expects one .tar.gz/.zip and one .whl");
        }
        ProjectName expected = project;
        for (DistributionFile d : List.of(sdists.get(0), wheels.get(0))) {
            if (!d.isOf(expected)) {
                throw new StepException("package \"" + label + "\" built " + d.fileName() + ", which is not project \""
                        + expected + "\"", "make the name in the project's files and the build backend's name agree");
            }
            if (!d.version().equals(version)) {
                throw new StepException("package \"" + label + "\" built " + d.fileName() + " with version "
                        + d.version() + ", not the release version " + version, buildEnv.isEmpty()
                        ? "update the package's version declaration (with setuptools-scm or hatch-vcs: tag a clean HEAD)"
                        : "a dry run commits nothing for the release's tag to mark, so it gives the build backend the version"
                                + " as " + String.join(", ", buildEnv.keySet()) + "; this backend did not take it:"
                                + " check how its configuration derives the version from git");
            }
        }
        return List.of(sdists.get(0), wheels.get(0));
    }

    /** Recognises the offline failures of issue #11, and a build requirement that only the backend names, and says which option fixes each. */
    private static String hint(ExecResult result) {
        String text = String.join("\n", result.output());
        if (text.contains("invalid command 'bdist_wheel'")) {
            return "setuptools before 70.1 builds wheels with the wheel package: install it for the Python interpreter"
                    + " (Debian: python3-wheel)";
        }
        if (text.contains("isolated environment") && (text.contains("No matching distribution found")
                || text.contains("Could not find a version that satisfies"))) {
            return "the isolated build could not download its build requirements: set the no-isolation input "
                    + "(or add --no-isolation to build-args) and install the build backend into the interpreter";
        }
        return "fix the error above; `python -m build` in the package directory reproduces it";
    }

    private static Optional<DistributionFile> parse(String fileName) {
        try {
            return Optional.of(DistributionFile.parse(fileName));
        } catch (IllegalArgumentException notADistribution) {
            return Optional.empty();
        }
    }

}
