package io.slipway.plugin.pythonsmoke;

import io.slipway.python.Python;
import io.slipway.python.TempFolders;
import io.slipway.spi.ExecRequest;
import io.slipway.spi.ExecResult;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh virtual environment in a temp dir. Every process runs with the temp dir as its working
 * directory and without {@code PYTHONPATH}, so nothing from the repository is importable unless
 * it was installed, and with {@code PYTHONDONTWRITEBYTECODE}, so importing from an editable install
 * writes no {@code __pycache__} into the package folders (a build beside the smoke reads them).
 * Its {@code TMPDIR} is inside the temp dir: what a killed pip leaves goes with it.
 *
 * <p>When the interpreter's own pip is 22.3 or newer, the venv is made without pip and that pip
 * installs into it with {@code --python}: seeding pip into a venv takes ~9 s here, this ~0.1 s.
 */
final class Venv {

    private static final Pattern PIP_VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    private final StepContext ctx;
    private final Path home;
    private final Path root;
    private final boolean hostPip;
    private final boolean pipConfig;
    private final Path tmp;

    private Venv(StepContext ctx, Path home, boolean hostPip, boolean pipConfig) throws IOException {
        this.ctx = ctx;
        this.home = home;
        this.root = home.resolve("venv");
        this.tmp = TempFolders.childTemp(home);
        this.hostPip = hostPip;
        this.pipConfig = pipConfig;
    }

    /**
     * Creates the venv. {@code systemSitePackages} lets the build backends installed in the
     * interpreter serve {@code pip install --no-build-isolation -e} on a machine without network.
     */
    static Venv create(StepContext ctx, Path home, boolean systemSitePackages, boolean pipConfig) throws StepException, IOException {
        Venv venv = new Venv(ctx, home, hostPipTargetsOtherPythons(ctx, home), pipConfig);
        List<String> args = new ArrayList<>();
        if (systemSitePackages) {
            args.add("--system-site-packages");
        }
        if (venv.hostPip) {
            args.add("--without-pip");
        }
        args.add(venv.root.toString());
        ctx.exec(Python.module(ctx.env(), "venv", args).in(home).timeout(Duration.ofMinutes(5)))
                .requireSuccess("creating a venv with " + Python.interpreter(ctx.env()),
                        "install the interpreter's venv module (Debian: python3-venv)");
        return venv;
    }

    /**
     * Whether the interpreter has a pip with {@code --python} (pip 22.3+). Asks {@code pip.__version__}
     * rather than {@code pip --version}: the package's own module loads in ~0.04 s, pip's CLI in ~0.4 s.
     */
    private static boolean hostPipTargetsOtherPythons(StepContext ctx, Path home) throws StepException {
        ExecResult result = ctx.exec(Python.isolated(ExecRequest.of(
                List.of(Python.interpreter(ctx.env()), "-c", "import pip; print(pip.__version__)"))).in(home));
        Matcher m = PIP_VERSION.matcher(result.output().isEmpty() ? "" : result.output().get(result.output().size() - 1));
        if (!result.succeeded() || !m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        return major > 22 || major == 22 && Integer.parseInt(m.group(2)) >= 3;
    }

    Path bin(String program) {
        return root.resolve("bin").resolve(program);
    }

    /**
     * {@code pip install args...} into the venv, isolated from the machine's pip settings unless
     * asked, with {@code pipEnv} (e.g. {@code PIP_INDEX_URL}) set on top.
     */
    ExecResult pipInstall(List<String> args, Map<String, String> pipEnv) throws StepException {
        List<String> command = new ArrayList<>(hostPip
                ? List.of(Python.interpreter(ctx.env()), "-m", "pip", "--python", bin("python").toString(), "install")
                : List.of(bin("python").toString(), "-m", "pip", "install"));
        command.addAll(args);
        ExecRequest request = ExecRequest.of(command).timeout(Duration.ofMinutes(10));
        pipEnv.forEach(request::env);
        return run(pipConfig ? request : Python.isolated(request));
    }

    /** Runs a program (usually one of the venv's) in the temp dir. */
    ExecResult run(List<String> command) throws StepException {
        return run(ExecRequest.of(command).timeout(Duration.ofMinutes(5)));
    }

    /** A shell command line, with the venv's bin folder first on PATH. */
    ExecResult shell(String line) throws StepException {
        return run(ExecRequest.shell(line).timeout(Duration.ofMinutes(5)));
    }

    private ExecResult run(ExecRequest request) throws StepException {
        return ctx.exec(request.in(home).unsetEnvPrefix("PYTHONPATH").unsetEnvPrefix("PYTHONHOME")
                .env("VIRTUAL_ENV", root.toString()).env("PYTHONDONTWRITEBYTECODE", "1").env("TMPDIR", tmp.toString())
                .env("PATH", root.resolve("bin") + File.pathSeparator + ctx.env().getOrDefault("PATH", "")));
    }

    boolean has(String program) {
        return Files.isExecutable(bin(program));
    }
}
