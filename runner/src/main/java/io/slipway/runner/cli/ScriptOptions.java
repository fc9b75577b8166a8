package io.slipway.runner.cli;

import io.slipway.runner.approval.ApprovalStep;
import io.slipway.runner.approval.Approvals;
import io.slipway.runner.approval.ConfirmStep;
import io.slipway.runner.builtin.LogStep;
import io.slipway.runner.builtin.RunStep;
import io.slipway.runner.model.Pipeline;
import io.slipway.runner.plugin.PluginDiscovery;
import io.slipway.runner.plugin.StepCatalog;
import io.slipway.runner.script.ReleaseScope;
import io.slipway.runner.script.ScriptException;
import io.slipway.runner.script.ScriptHost;
import io.slipway.runner.script.ScriptTimeoutException;
import io.slipway.spi.StepType;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/** Options shared by the commands that read a script: which script, its parameters, which plugins. */
final class ScriptOptions {

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A script parameter (param(\"KEY\") in release.kts); repeatable.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "Another folder of plugins (also SLIPWAY_PLUGINS_DIR); repeatable.")
    List<Path> pluginDirs = new ArrayList<>();

    @Option(names = "--debug", description = "Show details and stack traces.")
    boolean debug;

    @Option(names = "--python", paramLabel = "PATH", description = "The Python interpreter of the release (also SLIPWAY_PYTHON).")
    String python;

    /** The environment the script and the steps see: the runner's, with {@code --python} as SLIPWAY_PYTHON. */
    Map<String, String> stepEnv(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>(env);
        if (python != null) {
            out.put("SLIPWAY_PYTHON", python);
        }
        return out;
    }

    Map<String, String> params() throws UserError {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw UserError.usage("--set \"" + s + "\" is not KEY=VALUE", "write it as --set repository=testpypi");
            }
            out.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return out;
    }

    /**
     * Built-in step types plus every plugin; a --plugins-dir that is no folder is an error, problems with plugins are warnings.
     *
     * @param cwd what relative folders are relative to (see {@link Main#run})
     */
    StepCatalog plugins(Path cwd, Map<String, String> env, PrintStream err, Approvals approvals) throws UserError {
        for (Path dir : pluginDirs) {
            if (!Files.isDirectory(cwd.resolve(dir))) {
                throw UserError.usage("--plugins-dir " + dir + " is not a folder", "give a folder that holds plugin zips or unpacked plugins");
            }
        }
        List<Path> user = new ArrayList<>(pluginDirs.stream().map(cwd::resolve).toList());
        Optional.ofNullable(env.get("SLIPWAY_PLUGINS_DIR")).filter(s -> !s.isBlank()).ifPresent(s -> user.add(cwd.resolve(s)));
        Optional<Path> distribution = Optional.ofNullable(env.get("SLIPWAY_HOME")).map(h -> cwd.resolve(Path.of(h, "plugins")));
        List<StepType> builtIns = List.of(new RunStep(), new LogStep(), new ApprovalStep(approvals), new ConfirmStep(approvals));
        StepCatalog catalog = PluginDiscovery.load(new PluginDiscovery.Sources(distribution, user,
                distribution.isPresent() ? Optional.empty() : PluginDiscovery.sourceTreeOfThisRunner()), builtIns,
                Optional.ofNullable(ScriptHost.defaultCacheDir(env)).map(d -> cwd.resolve(d).resolve("checked-plugins")));
        approvals.useProbes(catalog.credentialProbes());
        for (StepCatalog.Problem p : catalog.problems()) {
            err.println("warning: plugin " + p.plugin() + " was not loaded: " + p.reason());
        }
        return catalog;
    }

    /**
     * Evaluates the script; unknown --set keys are an error naming the known ones.
     *
     * @param cwd    what relative paths are relative to (see {@link Main#run})
     * @param script as given, which is how errors name it
     * @param env    the environment steps will see, which the script may read
     * @param err    where a warning goes (a compiled script that could not be cached)
     */
    static Pipeline evaluate(Path cwd, Path script, String version, Map<String, String> params, boolean dryRun,
                             Map<String, String> env, PrintStream err) throws UserError {
        Path file = cwd.resolve(script);
        if (!Files.isRegularFile(file)) {
            throw UserError.usage("the script " + script + " does not exist", "give the path of a release.kts");
        }
        Pipeline pipeline;
        Path shipped = ScriptHost.shippedDir(env);
        Path cache = ScriptHost.defaultCacheDir(env);
        ScriptHost host = new ScriptHost(cache == null ? null : cwd.resolve(cache), ScriptGuard.timeout(env),
                shipped == null ? null : cwd.resolve(shipped), warning -> err.println("warning: " + warning));
        try {
            pipeline = ScriptGuard.refusingExit(script, () -> host.evaluate(file,
                    new ReleaseScope(version, params, dryRun, file.toAbsolutePath().normalize().getParent(), env), script.toString()));
        } catch (ScriptTimeoutException e) {
            throw UserError.usage(e.getMessage(), "a script only declares the pipeline: look for a loop that never ends or a call"
                    + " that waits; SLIPWAY_SCRIPT_TIMEOUT=SECONDS allows longer");
        } catch (ScriptException e) {
            throw UserError.usage(e.getMessage(), e.getHint() != null ? e.getHint() + "; nothing has run" : "fix the script; nothing has run");
        }
        List<String> unknown = params.keySet().stream().filter(k -> !pipeline.params().containsKey(k)).toList();
        if (!unknown.isEmpty()) {
            throw UserError.usage("unknown --set key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                            + " for " + script.getFileName(),
                    pipeline.params().isEmpty() ? "this script takes no parameters"
                            : "known keys: " + String.join(", ", new TreeSet<>(pipeline.params().keySet())));
        }
        return pipeline;
    }
}
