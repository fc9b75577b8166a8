package io.slipway.plugin.pythonbuild;

import io.slipway.python.ProjectName;
import io.slipway.python.Python;
import io.slipway.python.project.InspectionException;
import io.slipway.python.project.ProjectInspector;
import io.slipway.python.project.PythonMetadata;
import io.slipway.spi.ExecRequest;
import io.slipway.spi.ExecResult;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.pf4j.Extension;

/**
 * The preflight of the Python side, before the release changes anything: the interpreter runs and
 * has every module the planned steps use, and each package's build backend is installed and names
 * the package as its files do, and, for a build without isolation, the interpreter has their build
 * requirements ({@link BuildRequirements}). Found later, each of these would stop a release with its
 * version already committed.
 */
@Extension
public class BuildCheck implements StepType {

    @Override
    public String id() {
        return "python-build/check";
    }

    @Override
    public String description() {
        return "Checks the interpreter, the Python modules the release needs and each package's build backend, before anything changes.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
                InputSpec.optional("modules", InputType.LIST, List.of("build", "twine"),
                        "modules the release's steps run (build, twine, venv, pip, pytest, towncrier)"),
                InputSpec.optional("packages", InputType.LIST, List.of(),
                        "package directories, workspace-relative, whose build backend must answer for them"),
                InputSpec.optional("no-isolation", InputType.BOOLEAN, false,
                        "as python-build's: the build uses the interpreter's packages, so their build requirements are checked"),
                InputSpec.optional("build-args", InputType.LIST, List.of(),
                        "python-build's build-args: --no-isolation there means the same"));
    }

    @Override
    public List<OutputSpec> outputs() {
        return List.of(new OutputSpec("backends", InputType.MAP, "package directory -> the build backend that answered"));
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        String python = Python.interpreter(ctx.env());
        List<String> modules = ctx.list("modules");
        List<String> missing = missing(ctx, python, modules);
        if (!missing.isEmpty()) {
            throw new StepException(python + " has no " + String.join(", ", missing) + ", which this release runs",
                    "install " + (missing.size() > 1 ? "them" : "it") + " for that interpreter (Debian: apt-get install "
                            + String.join(" ", missing.stream().map(BuildCheck::debianPackage).toList())
                            + "), or point --python at one that has " + (missing.size() > 1 ? "them" : "it"));
        }
        PythonMetadata metadata = PythonMetadata.of(ctx.env());
        ProjectInspector inspector = new ProjectInspector(ctx.workspace(), metadata);
        List<String> packages = ctx.list("packages");
        // First: a missing requirement (setuptools-scm, a hatchling plugin) would make the backend's answer below fail less clearly.
        if (BuildRequirements.checkedBySlipway(BuildRequirements.buildArgs(ctx))) {
            BuildRequirements.requireMet(ctx, packages);
        }
        // Each package's backend in a Python process of its own, several at a time: one after another, 50 packages took 37 s.
        ExecutorService pool = Executors.newFixedThreadPool(PythonBuild.workers(packages.size()));
        Map<String, String> backends = new LinkedHashMap<>();
        try {
            List<Future<Map<String, Object>>> answers = packages.stream()
                    .map(pkg -> pool.submit(() -> metadata.backendMetadata(ctx.workspace().resolve(pkg).normalize()))).toList();
            for (int i = 0; i < packages.size(); i++) {
                backends.put(packages.get(i), backendAgrees(ctx, inspector, packages.get(i), answers.get(i)));
            }
        } finally {
            pool.shutdownNow();
        }
        ctx.output("backends", backends);
        return StepResult.success(python + " has " + String.join(", ", modules)
                + (backends.isEmpty() ? "" : "; the build backend answers for " + backends.size() + " package(s)"));
    }

    private static List<String> missing(StepContext ctx, String python, List<String> modules) throws StepException {
        List<String> command = new ArrayList<>(List.of(python, "-c",
                "import importlib.util, sys; print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))"));
        command.addAll(modules);
        ExecResult result;
        try {
            result = ctx.exec(ExecRequest.of(command).timeout(Duration.ofMinutes(1)));
        } catch (StepException e) {
            throw new StepException("the release's Python, " + python + ", cannot be run: " + e.getMessage(),
                    "point --python or SLIPWAY_PYTHON at a Python 3 interpreter");
        }
        if (!result.succeeded()) {
            throw new StepException("the release's Python, " + python + ", does not run (exit code " + result.exitCode() + ")",
                    "point --python or SLIPWAY_PYTHON at a Python 3 interpreter");
        }
        return result.output().isEmpty() ? List.of()
                : List.of(result.output().get(result.output().size() - 1).strip().split("\\s+")).stream().filter(m -> !m.isEmpty()).toList();
    }

    /** The backend's name for the package must be the files' name: else the artifacts would be another project's. */
    private static String backendAgrees(StepContext ctx, ProjectInspector inspector, String pkg, Future<Map<String, Object>> asked)
            throws StepException, InterruptedException {
        String where = ".".equals(pkg) ? "the package at the repository's top" : pkg;
        try {
            String name = inspector.name(pkg);
            Map<String, Object> answer = answer(asked);
            if (answer.get("error") != null) {
                throw new StepException("the build backend of " + where + " cannot prepare its metadata: " + answer.get("error"),
                        "install the backend its pyproject.toml names in [build-system] for " + Python.interpreter(ctx.env())
                                + " (offline builds use the installed one), then run the same command again");
            }
            String backendName = String.valueOf(answer.get("name"));
            if (!ProjectName.normalize(backendName).equals(ProjectName.normalize(name))) {
                throw new StepException("the build backend of " + where + " names the project \"" + backendName
                        + "\", its files name it \"" + name + "\"", "make the name in pyproject.toml, setup.cfg and setup.py agree");
            }
            return String.valueOf(answer.get("backend"));
        } catch (InspectionException e) {
            throw e.toStepException();
        }
    }

    private static Map<String, Object> answer(Future<Map<String, Object>> asked) throws InterruptedException {
        try {
            return asked.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static String debianPackage(String module) {
        return switch (module) {
            case "build" -> "python3-build";
            case "twine", "towncrier" -> module;
            default -> "python3-" + module;
        };
    }
}
