package io.slipway.runner.cli;

import io.slipway.runner.plugin.StepCatalog;
import io.slipway.spi.InputSpec;
import io.slipway.spi.OutputSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import io.slipway.runner.approval.Approvals;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "plugins", description = "List plugins, where they were loaded from, and their step types;"
        + " the library plugins they share classes from; plugins that could not be loaded are marked NOT LOADED, with why.")
final class PluginsCommand extends CliCommand {

    @Mixin
    ScriptOptions options;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILTER", description = "Only plugins and step types whose id contains this.")
    String filter = "";

    PluginsCommand(Map<String, String> env, Path cwd, PrintStream out, PrintStream err) {
        super(env, cwd, out, err);
    }

    @Override
    public Integer call() {
        StepCatalog catalog;
        try {
            catalog = options.plugins(cwd, env, err, Approvals.none());
        } catch (UserError e) {
            return Main.report(e, err);
        }
        boolean shown = false;
        // A plugin PF4J loaded may still have had a step type refused: that shows under it.
        for (StepCatalog.PluginInfo p : catalog.plugins()) {
            if (p.id().contains(filter)) {
                shown = true;
                out.println("plugin " + p.id() + " " + p.version() + " (" + p.location() + ")");
                catalog.problems().stream().filter(q -> q.plugin().equals(p.id()))
                        .forEach(q -> out.println("  NOT LOADED: " + q.reason()));
            }
        }
        // Library plugins have no step types: the classes that the plugins naming them share.
        for (StepCatalog.Library l : catalog.libraries()) {
            if (l.id().contains(filter)) {
                shown = true;
                out.println("library " + l.id() + " " + l.version() + " (" + l.location() + ")"
                        + (l.usedBy().isEmpty() ? ", used by no plugin" : ", used by " + String.join(", ", l.usedBy())));
                catalog.problems().stream().filter(q -> q.plugin().equals(l.id()))
                        .forEach(q -> out.println("  NOT LOADED: " + q.reason()));
            }
        }
        // A plugin that needs a missing one is not loaded either: asked for by name, it shows the missing one's line.
        for (StepCatalog.Problem q : catalog.problems()) {
            if ((q.plugin().contains(filter) || q.affected().stream().anyMatch(a -> a.contains(filter)))
                    && catalog.plugins().stream().noneMatch(p -> p.id().equals(q.plugin()))
                    && catalog.libraries().stream().noneMatch(l -> l.id().equals(q.plugin()))) {
                shown = true;
                out.println("plugin " + q.plugin() + " NOT LOADED: " + q.reason());
            }
        }
        for (StepCatalog.Entry e : catalog.entries()) {
            if (!e.type().id().contains(filter) && !e.origin().contains(filter)) {
                continue;
            }
            shown = true;
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
        if (!shown) {
            return Main.report(UserError.usage("no plugin, library or step type id contains \"" + filter + "\"",
                    "run runner plugins without a filter to list them all"), err);
        }
        return catalog.problems().isEmpty() ? 0 : 1;
    }
}
