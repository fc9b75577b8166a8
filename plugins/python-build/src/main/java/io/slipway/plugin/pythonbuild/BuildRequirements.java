package io.slipway.plugin.pythonbuild;

import io.slipway.python.Python;
import io.slipway.python.project.InspectionException;
import io.slipway.python.project.PythonMetadata;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The build requirements of a build without isolation, checked once for all packages.
 *
 * <p>{@code python -m build --no-isolation} checks them itself, per package, by calling the backend's
 * {@code get_requires_for_build_sdist} and {@code _wheel} hooks, each in a Python process of its own
 * that imports the backend: half of a small setuptools package's build (3.8 s of CPU against 1.8 s with
 * {@code --skip-dependency-check}, bench/RESULTS.md). python-build instead checks the packages'
 * {@code [build-system] requires} in one process, as the frontend reads them ({@link PythonMetadata#buildRequirements}),
 * then builds with {@code --skip-dependency-check}; {@code python-build/check} makes the same check
 * before the release changes anything. What the two hooks would add at build time (setup.py's
 * {@code setup_requires}, {@code wheel} for setuptools before 70.1, a backend's own tools such as cmake)
 * is left to the backend, which fails the build with its own error if one is missing.
 */
final class BuildRequirements {

    static final String NO_ISOLATION = "--no-isolation";
    static final String SKIP_CHECK = "--skip-dependency-check";

    private BuildRequirements() {
    }

    /** The {@code python -m build} arguments of a step: its build-args, with --no-isolation first if its no-isolation input says so. */
    static List<String> buildArgs(StepContext ctx) {
        List<String> args = new ArrayList<>(ctx.list("build-args"));
        if (ctx.bool("no-isolation") && !withoutIsolation(args)) {
            args.add(0, NO_ISOLATION);
        }
        return args;
    }

    /** Whether these arguments build with the interpreter's own packages, and leave their check to Slipway. */
    static boolean checkedBySlipway(List<String> args) {
        return withoutIsolation(args) && !args.contains(SKIP_CHECK) && !args.contains("-x");
    }

    private static boolean withoutIsolation(List<String> args) {
        return args.contains(NO_ISOLATION) || args.contains("-n");
    }

    /**
     * Throws one sentence naming every package whose build requirements the interpreter does not meet.
     *
     * @param packages workspace-relative package directories
     */
    static void requireMet(StepContext ctx, List<String> packages) throws StepException {
        if (packages.isEmpty()) {
            return;
        }
        List<Path> dirs = packages.stream().map(pkg -> ctx.workspace().resolve(pkg).normalize()).toList();
        Map<String, Map<String, Object>> answers;
        try {
            answers = PythonMetadata.of(ctx.env()).buildRequirements(dirs);
        } catch (InspectionException e) {
            throw e.toStepException();
        }
        List<String> unmet = new ArrayList<>();
        for (int i = 0; i < packages.size(); i++) {
            String where = ".".equals(packages.get(i)) ? "the package at the repository's top" : packages.get(i);
            Map<String, Object> answer = answers.getOrDefault(dirs.get(i).toString(), Map.of("error", "no answer"));
            if (answer.get("error") != null) {
                throw new StepException("the build requirements of " + where + " cannot be read: " + answer.get("error"),
                        "fix the [build-system] table of its pyproject.toml (requires = [...] names what the build needs)");
            }
            if (answer.get("unmet") instanceof List<?> missing && !missing.isEmpty()) {
                unmet.add(where + " needs " + String.join(", ", missing.stream().map(String::valueOf).toList()));
            }
        }
        if (!unmet.isEmpty()) {
            String python = Python.interpreter(ctx.env());
            throw new StepException("the build runs without isolation, on the packages of " + python
                    + ", which lacks build requirements: " + String.join("; ", unmet),
                    "install them for that interpreter (Debian: the python3-<name> packages) or point --python at one that"
                            + " has them; add --skip-dependency-check to the build's arguments if the backend builds without them");
        }
    }
}
