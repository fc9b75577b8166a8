package io.slipway.runner.cli;

import io.slipway.plugin.gitsupport.Refused;
import io.slipway.plugin.gitsupport.Rollback;
import io.slipway.runner.approval.Approvals;
import io.slipway.runner.console.Masker;
import io.slipway.runner.console.Report;
import io.slipway.runner.console.RunLog;
import io.slipway.runner.engine.Plan;
import io.slipway.runner.engine.Published;
import io.slipway.runner.engine.RunScope;
import io.slipway.runner.journal.Journal;
import io.slipway.runner.journal.JournalData;
import io.slipway.runner.journal.JournalLockedException;
import io.slipway.runner.journal.JournalUnusableException;
import io.slipway.runner.journal.Release;
import io.slipway.runner.model.Pipeline;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner abandon}: the way out of a release that failed or was rejected before anything of
 * it was published. It asks every step that ran what it published; if nothing, it moves the branch
 * back over the release's own commits, deletes their local tags, puts back the files the release
 * changed, and keeps the journal aside for audit. If anything was published it refuses, saying what;
 * so it does when a step cannot be asked (the script, evaluated with other --set options than the
 * release's, does not have it), saying which options the release ran with.
 */
@Command(name = "abandon", description = "Undo a release on this machine when nothing of it was published.",
        footer = {"", "Exit codes: 0 abandoned, 2 refused (something was published, a step cannot tell, or the repository moved on);"
                + " nothing changed."})
final class AbandonCommand extends CliCommand {

    private static final Pattern COMMIT = Pattern.compile("\\b[0-9a-f]{40}\\b");

    @Parameters(index = "0", paramLabel = "SCRIPT", description = "The pipeline script the release ran, e.g. release.kts.")
    Path script;

    @Option(names = "--version", paramLabel = "X", required = true, description = "The version whose release to abandon.")
    String version;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where journals live (default: .slipway next to the script).")
    Path stateDir;

    @Mixin
    ScriptOptions options;

    private final Masker masker;

    /** @param masker already masking {@code out} and {@code err} */
    AbandonCommand(Map<String, String> env, Path cwd, PrintStream out, PrintStream err, Masker masker) {
        super(env, cwd, out, err);
        this.masker = masker;
    }

    @Override
    public Integer call() {
        try {
            return abandon();
        } catch (UserError e) {
            return Main.report(e, err);
        }
    }

    private int abandon() throws UserError {
        ReleaseVersion.check(version);
        Path workspace = at(script).toAbsolutePath().normalize().getParent();
        Map<String, String> stepEnv = options.stepEnv(env);
        Pipeline pipeline = ScriptOptions.evaluate(cwd, script, version, options.params(), false, stepEnv, err);
        Plan plan;
        try {
            plan = Plan.of(pipeline, options.plugins(cwd, env, err, Approvals.none()));
        } catch (Plan.InvalidPipelineException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            err.println("hint: fix the script; nothing was changed");
            return 2;
        }
        Path states = stateDir != null ? at(stateDir) : workspace.resolve(".slipway");
        Path file = Journal.directory(states, pipeline.name(), version, false).resolve("journal.json");
        if (!Files.isRegularFile(file)) {
            throw UserError.usage("there is no release of " + pipeline.name() + " " + version + " to abandon here (no journal at " + file + ")",
                    "give the --version (and --state-dir) the release ran with");
        }
        Journal journal;
        try {
            journal = Journal.open(states, new Release(pipeline.name(), version, false, workspace.toRealPath().toString(),
                    workspace.relativize(at(script).toAbsolutePath().normalize()).toString()), false);
        } catch (JournalLockedException e) {
            throw UserError.usage(e.getMessage(), "wait for that run to end, or stop it, then abandon");
        } catch (JournalUnusableException e) {
            throw UserError.usage(e.getMessage(), e.hint());
        } catch (IOException e) {
            throw UserError.usage("cannot open the journal " + file + ": " + e.getMessage(), null);
        }
        try (journal; RunLog log = new RunLog(out, null, masker, options.debug, false)) {
            RunScope scope = new RunScope(pipeline.name(), version, workspace, stepEnv, false, journal, log);
            Published.Answer answer = Published.of(plan, scope);
            if (!answer.nothing()) {
                refuse(answer, pipeline.name(), journal, log);
                return 2;
            }
            List<String> changedFiles = journal.read(d -> List.copyOf(d.preserved.keySet()));
            String start = journal.read(d -> d.startHead);
            if (start != null) {
                Set<String> made = new HashSet<>();
                journal.read(d -> {
                    d.steps.values().forEach(r -> {
                        collectCommits(r.outputs.values(), made);
                        collectCommits(r.facts.values(), made);
                    });
                    return null;
                });
                try {
                    Rollback.undo(workspace, start, made, changedFiles).forEach(log::info);
                } catch (Refused e) {
                    log.error("cannot abandon " + pipeline.name() + " " + version + ": " + e.getMessage());
                    log.info("hint: " + e.hint() + "; nothing was changed");
                    return 2;
                }
            } else {
                log.warn("the journal does not record the commit the release started from; the branch and tags are left as they are");
            }
            scope.restorePreserved();
            Path kept = journal.retireAsAbandoned();
            log.info("abandoned " + pipeline.name() + " " + version + "; its journal is kept at " + kept
                    + "; the next run of this version starts afresh");
            return 0;
        } catch (IOException e) {
            throw UserError.usage("cannot abandon: " + e.getMessage(), null);
        }
    }

    /**
     * Says why nothing is undone: something is published (a new version is the way on); or the
     * script, evaluated with these options, lacks steps the release ran (abandon needs the release's
     * --set options: the journal's last run records them); or a step cannot tell what it published.
     */
    private void refuse(Published.Answer answer, String pipeline, Journal journal, RunLog log) throws UserError {
        String release = "cannot abandon " + pipeline + " " + version + ": ";
        if (!answer.published().isEmpty()) {
            log.error(release + "some of it is already out there");
            answer.lines().forEach(l -> log.info("  " + l));
            log.info("hint: a published version cannot be taken back; release the fix as a new version"
                    + " (runner " + script + " --version <next>); nothing was changed here");
        } else if (!answer.notInPlan().isEmpty()) {
            List<String> steps = answer.notInPlan();
            log.error(release + "the script, evaluated with these options, does not have the release's step"
                    + (steps.size() > 1 ? "s " : " ") + String.join(", ", steps) + "; nothing is known to be published");
            answer.lines().forEach(l -> log.info("  " + l));
            log.info("hint: " + setOptionsHint(journal) + "; nothing was changed here");
        } else {
            log.error(release + "cannot tell whether some of it was published; nothing is known to be");
            answer.lines().forEach(l -> log.info("  " + l));
            log.info("hint: nothing is undone on a guess: fix what keeps the step from answering (above), then run abandon"
                    + " again; nothing was changed here");
        }
    }

    /**
     * How to give abandon the release's --set options: the command with those of its last run that
     * recorded them (and the other options earlier runs had, if any), else where to look.
     */
    private String setOptionsHint(Journal journal) throws UserError {
        List<JournalData.RunRecord> runs = journal.read(d -> d.runs.stream().filter(r -> r.params != null).toList());
        if (runs.isEmpty()) {
            return "run abandon with the --set options the release ran with (the command that started it; while the release"
                    + " waits or has failed, its report " + journal.file().resolveSibling("report.md") + " shows that command"
                    + " under \"What next\")";
        }
        JournalData.RunRecord last = runs.get(runs.size() - 1);
        List<String> earlier = runs.stream().map(r -> r.params).filter(p -> !p.equals(last.params)).distinct()
                .map(p -> p.isEmpty() ? "no --set options" : Report.setOptions(p)).toList();
        String others = earlier.isEmpty() ? "" : " (earlier runs of it had " + String.join("; ", earlier)
                + ": a step only they had needs their options)";
        if (earlier.isEmpty() && last.params.equals(options.params())) {
            return "abandon has the --set options the release ran with (its journal " + journal.file() + " records them), so"
                    + " the script, or the environment it reads, changed since the release ran: put them back as they were,"
                    + " then run abandon again";
        }
        String command = command(script, version, stateDir, last.params);
        boolean masked = runs.stream().anyMatch(r -> r.params.values().stream().anyMatch(v -> v.contains("***")));
        return "run abandon with the --set options the release's last run (" + last.started + ") had, as its journal "
                + journal.file() + " records them: " + command + others
                + (masked ? " (a value shown as *** held a credential: give it as you did then)" : "");
    }

    /** The abandon command for a release: its script, version, state dir (when given) and --set options. */
    static String command(Path script, String version, Path stateDir, Map<String, String> params) {
        return "runner abandon " + Report.shellWord(script.toString()) + " --version " + version
                + (stateDir != null ? " --state-dir " + Report.shellWord(stateDir.toString()) : "")
                + (params.isEmpty() ? "" : " " + Report.setOptions(params));
    }

    private static void collectCommits(java.util.Collection<?> values, Set<String> into) {
        for (Object v : values) {
            Matcher m = COMMIT.matcher(String.valueOf(v));
            while (m.find()) {
                into.add(m.group());
            }
        }
    }
}
