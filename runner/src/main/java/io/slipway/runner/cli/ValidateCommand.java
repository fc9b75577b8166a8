package io.slipway.runner.cli;

import io.slipway.runner.engine.Plan;
import io.slipway.runner.model.Pipeline;
import java.io.PrintStream;
import java.nio.file.Path;
import io.slipway.runner.approval.Approvals;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = "Parse a script, resolve its plugins and print the plan; nothing runs.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SCRIPT")
    Path script;

    @Option(names = "--version", paramLabel = "X", description = "The version to evaluate the script with (default 0.0.0).")
    String version = "0.0.0";

    @Mixin
    ScriptOptions options;

    @Option(names = {"-h", "--help"}, usageHelp = true)
    boolean help;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    ValidateCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        try {
            Pipeline pipeline = ScriptOptions.evaluate(script, version, options.params(), false, env);
            Plan plan = Plan.of(pipeline, options.plugins(env, err, new Approvals(Set.of(), Set.of(), Optional.empty())));
            PlanPrinter.print(plan, out);
            return 0;
        } catch (UserError e) {
            return Main.report(e, err);
        } catch (Plan.InvalidPipelineException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            err.println("hint: fix the script; nothing has run");
            return 2;
        }
    }
}
