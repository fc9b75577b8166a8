package io.slipway.runner.cli;

import io.slipway.plugin.gitsupport.Refused;
import io.slipway.plugin.gitsupport.Rollback;
import io.slipway.runner.approval.Approvals;
import io.slipway.runner.console.Masker;
import io.slipway.runner.console.RunLog;
import io.slipway.runner.engine.Plan;
import io.slipway.runner.engine.Published;
import io.slipway.runner.engine.RunScope;
import io.slipway.runner.journal.Journal;
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
 * changed, and keeps the journal aside for audit. If anything was published it refuses, saying what.
 */
@Command(name = "abandon", description = "Undo a release on this machine when nothing of it was published.",
        footer = {"", "Exit codes: 0 abandoned, 2 refused (something was published, or the repository moved on); nothing changed."})
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
    AbandonCommand(Map<String, String> env, PrintStream out, PrintStream err, Masker masker) {
        super(env, out, err);
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
        Path workspace = script.toAbsolutePath().normalize().getParent();
        Map<String, String> stepEnv = options.stepEnv(env);
        Pipeline pipeline = ScriptOptions.evaluate(script, version, options.params(), false, stepEnv);
        Plan plan;
        try {
            plan = Plan.of(pipeline, options.plugins(env, err, Approvals.none()));
        } catch (Plan.InvalidPipelineException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            err.println("hint: fix the script; nothing was changed");
            return 2;
        }
        Path states = stateDir != null ? stateDir : workspace.resolve(".slipway");
        Path file = Journal.directory(states, pipeline.name(), version, false).resolve("journal.json");
        if (!Files.isRegularFile(file)) {
            throw UserError.usage("there is no release of " + pipeline.name() + " " + version + " to abandon here (no journal at " + file + ")",
                    "give the --version (and --state-dir) the release ran with");
        }
        Journal journal;
        try {
            journal = Journal.open(states, new Release(pipeline.name(), version, false, workspace.toRealPath().toString(),
                    workspace.relativize(script.toAbsolutePath().normalize()).toString()), false);
        } catch (JournalLockedException e) {
            throw UserError.usage(e.getMessage(), "wait for that run to end, or stop it, then abandon");
        } catch (JournalUnusableException e) {
            throw UserError.usage(e.getMessage(), e.hint());
        } catch (IOException e) {
            throw UserError.usage("cannot open the journal " + file + ": " + e.getMessage(), null);
        }
        try (journal; RunLog log = new RunLog(out, null, masker, options.debug, false)) {
            RunScope scope = new RunScope(pipeline.name(), version, workspace, stepEnv, false, journal, log);
            List<String> published = Published.of(plan, scope);
            if (!published.isEmpty()) {
                log.error("cannot abandon " + pipeline.name() + " " + version + ": some of it is already out there");
                published.forEach(l -> log.info("  " + l));
                log.info("hint: a published version cannot be taken back; release the fix as a new version"
                        + " (runner " + script + " --version <next>); nothing was changed here");
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

    private static void collectCommits(java.util.Collection<?> values, Set<String> into) {
        for (Object v : values) {
            Matcher m = COMMIT.matcher(String.valueOf(v));
            while (m.find()) {
                into.add(m.group());
            }
        }
    }
}
