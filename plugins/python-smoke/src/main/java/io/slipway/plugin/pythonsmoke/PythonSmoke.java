package io.slipway.plugin.pythonsmoke;

import io.slipway.python.PackageSources;
import io.slipway.python.Pep440Version;
import io.slipway.python.TempFolders;
import io.slipway.spi.ExecResult;
import io.slipway.spi.InputCheck;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepResult;
import io.slipway.spi.StepType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code python-smoke}: installs the release into a fresh venv and checks that it imports, carries
 * the release version and that its commands start.
 *
 * <p>Two modes: from an index ({@code packages} as {@code name==version}, proving the index serves
 * what was released), or editable ({@code editable} package dirs, for the smoke before the build).
 * Every check runs even after one failed, so one run lists every problem.
 */
@Extension
public class PythonSmoke implements StepType {

    private static final String TRACEBACK = "Traceback (most recent call last)";

    @Override
    public String id() {
        return "python-smoke";
    }

    @Override
    public String description() {
        return "Installs the released packages into a fresh venv and checks imports, __version__ and commands.";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(
                InputSpec.optional("packages", InputType.LIST, List.of(),
                        "project names to install as name==<release version> from index-url"),
                InputSpec.optional("index-url", InputType.STRING, null, "the simple index to install from"),
                InputSpec.optional("extra-index-url", InputType.STRING, null, "a second index for dependencies"),
                InputSpec.optional("editable", InputType.LIST, List.of(),
                        "package dirs (relative to the workspace) to pip install -e, all in one pip call, instead of packages"),
                InputSpec.optional("pip-args", InputType.LIST, List.of(), "extra pip install arguments, e.g. --no-deps"),
                InputSpec.optional("system-site-packages", InputType.BOOLEAN, false,
                        "the venv also sees the interpreter's own packages (e.g. Debian's): for a rehearsal index"
                                + " that does not hold the dependencies"),
                InputSpec.optional("use-pip-config", InputType.BOOLEAN, false,
                        "let pip read the machine's PIP_* variables and pip config files"),
                InputSpec.optional("imports", InputType.LIST, List.of(), "modules that must import"),
                InputSpec.optional("version-modules", InputType.LIST, List.of(),
                        "modules whose __version__ must equal the release version"),
                InputSpec.optional("scripts", InputType.LIST, List.of(), "console scripts that must answer --help with exit 0"),
                InputSpec.optional("commands", InputType.LIST, List.of(),
                        "shell command lines, run with the venv first on PATH, that may fail but must not end in a Python traceback")
                        .withCheck(InputCheck.shellCommand()));
    }

    /**
     * For an editable install, the sources of its package dirs: the checks ran on those, so after a fix
     * to them an earlier success no longer holds and the smoke runs again, wherever the job stands
     * (beside the build, say, and not after it). Installs from an index depend on their inputs only.
     */
    @Override
    public String state(StepContext ctx) throws IOException {
        StringBuilder sources = new StringBuilder();
        for (String dir : ctx.list("editable")) {
            sources.append(dir).append(' ').append(PackageSources.of(ctx.workspace().resolve(dir).normalize())).append('\n');
        }
        return sources.toString();
    }

    @Override
    public StepResult run(StepContext ctx) throws Exception {
        List<String> packages = ctx.list("packages");
        List<String> editable = ctx.list("editable");
        if (packages.isEmpty() == editable.isEmpty()) {
            throw new StepException("python-smoke needs either packages (install from an index) or editable "
                    + "(install package dirs), not " + (packages.isEmpty() ? "neither" : "both"),
                    "set the packages and index-url inputs, or the editable input");
        }
        Path home = TempFolders.create("smoke", ctx.env());
        try {
            Venv venv = Venv.create(ctx, home, !editable.isEmpty() || ctx.bool("system-site-packages"), ctx.bool("use-pip-config"));
            if (editable.isEmpty()) {
                installFromIndex(ctx, venv, packages);
            } else {
                installEditable(ctx, venv, editable);
            }
            List<String> failures = new ArrayList<>();
            for (String module : ctx.list("imports")) {
                check(failures, "import " + module, venv.run(List.of(venv.bin("python").toString(), "-c", "import " + module)));
            }
            for (String module : ctx.list("version-modules")) {
                checkVersion(ctx, venv, module, failures);
            }
            for (String script : ctx.list("scripts")) {
                if (!venv.has(script)) {
                    failures.add("console script \"" + script + "\" was not installed");
                    continue;
                }
                check(failures, script + " --help", venv.run(List.of(venv.bin(script).toString(), "--help")));
            }
            for (String line : ctx.list("commands")) {
                checkErrorsCleanly(venv, line, failures);
            }
            if (!failures.isEmpty()) {
                // A dry run builds again whenever it runs again (it put the release's edits back): no --from there.
                throw new StepException(failures.size() + " smoke check(s) failed:\n" + String.join("\n", failures),
                        (ctx.dryRun()
                                ? "fix the package, commit the fix and run the same command again: the dry run builds the fixed"
                                        + " sources and rehearses them again;"
                                : "fix the package, commit the fix and run the same command again with --from naming the build step"
                                        + " (e.g. --from build/python-build), which builds the fixed sources and rehearses them again;")
                                + " the log shows each failing command's whole output");
            }
            int checks = ctx.list("imports").size() + ctx.list("version-modules").size() + ctx.list("scripts").size()
                    + ctx.list("commands").size();
            return StepResult.success(checks + " smoke checks passed");
        } finally {
            TempFolders.deleteTree(home);
        }
    }

    private static void installFromIndex(StepContext ctx, Venv venv, List<String> packages) throws StepException {
        String index = ctx.optionalString("index-url").orElseThrow(() -> new StepException(
                "python-smoke installs packages " + packages + " but has no index-url",
                "set index-url to the index the packages were uploaded to (its /simple/ URL)"));
        // No pip cache: a wheel cached from an earlier build must not stand in for what the index serves.
        List<String> args = new ArrayList<>(List.of("--no-cache-dir"));
        args.addAll(ctx.list("pip-args"));
        List<String> requirements = packages.stream().map(p -> p + "==" + ctx.version()).toList();
        args.addAll(requirements);
        // The indexes go through pip's environment: credentials written into their URLs stay off its command line.
        Map<String, String> indexes = new LinkedHashMap<>(Map.of("PIP_INDEX_URL", index));
        ctx.optionalString("extra-index-url").ifPresent(extra -> indexes.put("PIP_EXTRA_INDEX_URL", extra));
        venv.pipInstall(args, indexes).requireSuccess("pip install " + String.join(" ", requirements) + " from " + index,
                "check that these versions are on the index; add --no-deps to pip-args when the dependencies "
                        + "live only on another index, or set extra-index-url");
    }

    /**
     * One pip call for every dir: pip resolves the siblings' dependencies on each other within the call
     * (whatever the order), and starts once instead of once per package (three packages: ~0.7x the time).
     * {@code --no-build-isolation} because an isolated build would have to download its backend.
     */
    private static void installEditable(StepContext ctx, Venv venv, List<String> dirs) throws StepException {
        List<String> args = new ArrayList<>(List.of("--no-build-isolation"));
        args.addAll(ctx.list("pip-args"));
        for (String dir : dirs) {
            args.addAll(List.of("-e", ctx.workspace().resolve(dir).normalize().toString()));
        }
        venv.pipInstall(args, Map.of()).requireSuccess("pip install -e " + String.join(" -e ", dirs),
                "install the build backend into the interpreter, and add --no-deps to pip-args when the "
                        + "dependencies are not installed");
    }

    private static void checkVersion(StepContext ctx, Venv venv, String module, List<String> failures)
            throws StepException {
        ExecResult result = venv.run(List.of(venv.bin("python").toString(), "-c",
                "import " + module + "; print(" + module + ".__version__)"));
        if (!result.succeeded() || result.output().isEmpty()) {
            check(failures, module + ".__version__", result);
            return;
        }
        String found = result.output().get(result.output().size() - 1).strip();
        if (!sameVersion(found, ctx.version())) {
            failures.add(module + ".__version__ is \"" + found + "\", not the release version " + ctx.version());
        }
    }

    private static boolean sameVersion(String a, String b) {
        try {
            return Pep440Version.parse(a).equals(Pep440Version.parse(b));
        } catch (IllegalArgumentException notPep440) {
            return a.equals(b);
        }
    }

    /** Exit code free, but a traceback means the program crashed instead of reporting the error. */
    private static void checkErrorsCleanly(Venv venv, String line, List<String> failures) throws StepException {
        ExecResult result = venv.shell(line);
        if (result.output().stream().anyMatch(l -> l.contains(TRACEBACK))) {
            failures.add("\"" + line + "\" ended in a Python traceback (exit code " + result.exitCode() + "):\n"
                    + result.tail(10));
        }
    }

    private static void check(List<String> failures, String what, ExecResult result) {
        if (!result.succeeded()) {
            failures.add(what + " failed with exit code " + result.exitCode() + ":\n" + result.tail(10));
        }
    }

}
