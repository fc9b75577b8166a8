package io.slipway.runner.cli;

import io.slipway.runner.approval.ApprovalStep;
import io.slipway.runner.approval.Approvals;
import io.slipway.runner.console.Report;
import io.slipway.runner.engine.Plan;
import io.slipway.runner.model.Pipeline;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner github-workflow release.kts > .github/workflows/release.yml}: a GitHub Actions
 * workflow for the script's release. The script is evaluated and checked as {@code runner validate}
 * does, so a broken script fails here (exit 2) rather than in the workflow.
 */
@Command(name = "github-workflow", sortOptions = false,
        description = "Print a GitHub Actions workflow that releases with this script: prepare up to the approval,"
                + " then publish in a protected environment.",
        footer = {"", "Example: runner github-workflow release.kts > .github/workflows/release.yml"})
final class GithubWorkflowCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "SCRIPT", description = "The pipeline script, e.g. release.kts.")
    Path script;

    @Option(names = "--environment", paramLabel = "NAME", description = "The GitHub environment of the publish job (default pypi).")
    String environment = "pypi";

    @Option(names = "--runs-on", paramLabel = "IMAGE", description = "The runner image of both jobs (default ubuntu-latest).")
    String runsOn = "ubuntu-latest";

    @Option(names = "--java-version", paramLabel = "V", description = "Java for the runner (default 17).")
    String javaVersion = "17";

    @Option(names = "--python-version", paramLabel = "V", description = "Python of the release (default 3.12).")
    String pythonVersion = "3.12";

    @Option(names = "--on-tag", description = "Also start a release when a tag (v1.2.3 or 1.2.3) is pushed; its name is the version.")
    boolean onTag;

    @Option(names = "--handoff-after", paramLabel = "JOB",
            description = "The job after which prepare hands off to publish (default: the job the first approval's job needs).")
    String handoffAfter;

    @Option(names = "--slipway-url", paramLabel = "URL", description = "Where the workflow downloads Slipway's tarball (default: left for you to fill in).")
    String slipwayUrl;

    @Mixin
    ScriptOptions options;

    private final List<String> args;

    GithubWorkflowCommand(Map<String, String> env, Path cwd, PrintStream out, PrintStream err, List<String> args) {
        super(env, cwd, out, err);
        this.args = args;
    }

    @Override
    public Integer call() {
        try {
            for (String[] option : new String[][] {{"--environment", environment}, {"--runs-on", runsOn},
                    {"--java-version", javaVersion}, {"--python-version", pythonVersion}, {"--slipway-url", slipwayUrl}}) {
                if (option[1] != null && (option[1].isBlank() || option[1].chars().anyMatch(Character::isISOControl))) {
                    throw UserError.usage(option[0] + " needs a value on one line", "leave the option out for its default");
                }
            }
            Pipeline pipeline = ScriptOptions.evaluate(cwd, script, "0.0.0", options.params(), false, options.stepEnv(env), err);
            Plan plan = Plan.of(pipeline, options.plugins(cwd, env, err, Approvals.none()));
            String after = handoffJob(plan, handoffAfter);
            String relative = fromRepositoryTop(script);
            if (onTag) {
                plan.order().stream().flatMap(j -> plan.steps(j).stream()).filter(s -> s.type().id().startsWith("tagging"))
                        .findFirst().ifPresent(s -> err.println("warning: --on-tag: the pushed tag exists before the release"
                                + " runs, while " + s.address() + " makes the release's tag itself; a pipeline that checks"
                                + " its tags are free (the reference one does) stops at the preflight"));
            }
            if (slipwayUrl == null) {
                err.println("warning: no --slipway-url: set SLIPWAY_URL at the top of the workflow to where it can"
                        + " download Slipway's tarball");
            }
            out.print(new GithubWorkflow(relative, after, environment, runsOn, javaVersion, pythonVersion,
                    List.copyOf(options.sets), onTag, slipwayUrl, generatedBy()).render());
            return 0;
        } catch (UserError e) {
            return Main.report(e, err);
        } catch (Plan.InvalidPipelineException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            err.println("hint: fix the script; nothing has run");
            return 2;
        }
    }

    /**
     * The job prepare runs up to: {@code --handoff-after} when given, else the one job that the job
     * of the first approval needs (else of the first upload): everything before publishing.
     */
    static String handoffJob(Plan plan, String given) throws UserError {
        String pipeline = plan.pipeline().name();
        String jobs = String.join(", ", plan.order());
        if (given != null) {
            if (!plan.order().contains(given)) {
                throw UserError.usage("--handoff-after " + given + " names no job of pipeline '" + pipeline + "'",
                        "its jobs: " + jobs);
            }
            if (ancestorsAndSelf(plan, given).containsAll(plan.order())) {
                throw UserError.usage("--handoff-after " + given + " leaves nothing for the publish job: every job of pipeline '"
                        + pipeline + "' runs up to it", "name a job before the approval; its jobs: " + jobs);
            }
            return given;
        }
        Optional<Plan.PlannedStep> gate = first(plan, s -> s.type() instanceof ApprovalStep)
                .or(() -> first(plan, s -> s.type().id().equals("twine-upload") || s.type().id().startsWith("twine-upload/")));
        if (gate.isEmpty()) {
            throw UserError.usage("pipeline '" + pipeline + "' has no approval or upload step to hand off before",
                    "name the job prepare runs up to with --handoff-after JOB; its jobs: " + jobs);
        }
        String job = gate.get().job().id();
        Set<String> needs = plan.needs(job);
        if (needs.size() != 1) {
            throw UserError.usage("cannot tell which job to hand off after: " + gate.get().address() + " is in job " + job
                            + (needs.isEmpty() ? ", which needs no other job" : ", which needs " + String.join(", ", needs)),
                    "name the job prepare runs up to with --handoff-after JOB; its jobs: " + jobs);
        }
        return needs.iterator().next();
    }

    private static Optional<Plan.PlannedStep> first(Plan plan, Predicate<Plan.PlannedStep> test) {
        return plan.order().stream().flatMap(j -> plan.steps(j).stream()).filter(test).findFirst();
    }

    private static Set<String> ancestorsAndSelf(Plan plan, String job) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(job));
        while (!todo.isEmpty()) {
            String j = todo.pop();
            if (seen.add(j)) {
                todo.addAll(plan.needs(j));
            }
        }
        return seen;
    }

    /** The script's path from the top of its git repository, where the workflow's checkout puts it. */
    private String fromRepositoryTop(Path script) throws UserError {
        Path file = at(script).toAbsolutePath().normalize();
        for (Path dir = file.getParent(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"))) {
                return dir.relativize(file).toString().replace('\\', '/');
            }
        }
        Path here = cwd.toAbsolutePath();
        if (!file.startsWith(here)) {
            throw UserError.usage(script + " is not in a git repository, nor under this folder",
                    "run runner github-workflow from the top of the repository the workflow releases");
        }
        return here.relativize(file).toString().replace('\\', '/');
    }

    private String generatedBy() {
        List<String> words = new ArrayList<>(List.of("runner", "github-workflow"));
        args.stream().skip(args.indexOf("github-workflow") + 1).map(Report::shellWord).forEach(words::add);
        return String.join(" ", words);
    }
}
