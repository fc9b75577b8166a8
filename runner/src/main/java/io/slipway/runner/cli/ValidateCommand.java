package io.slipway.runner.cli;

import io.slipway.runner.engine.Plan;
import io.slipway.runner.model.Pipeline;
import java.io.PrintStream;
import java.nio.file.Path;
import io.slipway.runner.approval.Approvals;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = "Parse a script, resolve its plugins and print the plan; nothing runs.")
final class ValidateCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "SCRIPT")
    Path script;

    @Option(names = "--version", paramLabel = "X", description = "The version to evaluate the script with (default 0.0.0).")
    String version = "0.0.0";

    @Mixin
    ScriptOptions options;


    ValidateCommand(Map<String, String> env, Path cwd, PrintStream out, PrintStream err) {
        super(env, cwd, out, err);
    }

    @Override
    public Integer call() {
        try {
            ReleaseVersion.check(version);
            Pipeline pipeline = ScriptOptions.evaluate(cwd, script, version, options.params(), false, options.stepEnv(env), err);
            Plan plan = Plan.of(pipeline, options.plugins(cwd, env, err, Approvals.none()));
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
