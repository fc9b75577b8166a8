package io.slipway.runner.cli;

import io.slipway.runner.plugin.StepCatalog;
import io.slipway.spi.InputSpec;
import io.slipway.spi.OutputSpec;
import java.io.PrintStream;
import io.slipway.runner.approval.Approvals;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plugins", description = "List plugins, where they were loaded from, and their step types.")
final class PluginsCommand implements Callable<Integer> {

    @Mixin
    ScriptOptions options;

    @Option(names = {"-h", "--help"}, usageHelp = true)
    boolean help;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    PluginsCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        StepCatalog catalog = options.plugins(env, err, new Approvals(Set.of(), Set.of(), Optional.empty()));
        for (StepCatalog.PluginInfo p : catalog.plugins()) {
            out.println("plugin " + p.id() + " " + p.version() + " (" + p.location() + ")");
        }
        for (StepCatalog.Entry e : catalog.entries()) {
            out.println();
            out.println(e.type().id() + "  [" + e.origin() + "]");
            out.println("  " + e.type().description());
            for (InputSpec i : e.type().inputs()) {
                out.println("  input  " + i.name() + ": " + i.type().name().toLowerCase()
                        + (i.required() ? ", required" : "")
                        + (i.defaultValue() != null ? ", default " + (i.secret() ? "***" : i.defaultValue()) : "")
                        + (i.secret() ? ", secret" : "") + " - " + i.description());
            }
            for (OutputSpec o : e.type().outputs()) {
                out.println("  output " + o.name() + ": " + o.type().name().toLowerCase() + " - " + o.description());
            }
        }
        return catalog.problems().isEmpty() ? 0 : 1;
    }
}
