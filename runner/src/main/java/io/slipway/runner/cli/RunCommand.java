package io.slipway.runner.cli;

import io.slipway.runner.approval.ApprovalStep;
import io.slipway.runner.approval.Approvals;
import io.slipway.runner.approval.ConfirmStep;
import io.slipway.runner.console.Masker;
import io.slipway.runner.console.Report;
import io.slipway.runner.console.RunConsole;
import io.slipway.runner.console.RunLog;
import io.slipway.plugin.gitsupport.GitLocks;
import io.slipway.plugin.gitsupport.Rollback;
import io.slipway.runner.engine.Engine;
import io.slipway.runner.engine.Plan;
import io.slipway.runner.engine.RunScope;
import io.slipway.runner.journal.Journal;
import io.slipway.runner.journal.JournalData;
import io.slipway.runner.journal.JournalLockedException;
import io.slipway.runner.journal.JournalUnusableException;
import io.slipway.runner.journal.JournalWriteException;
import io.slipway.runner.journal.Release;
import io.slipway.runner.journal.StepStatus;
import io.slipway.runner.model.Pipeline;
import io.slipway.runner.plugin.StepCatalog;
import io.slipway.spi.CredentialProbe;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "runner", sortOptions = false, usageHelpAutoWidth = true, versionProvider = RunCommand.OwnVersion.class,
        description = "Runs the release a release.kts declares; running it again resumes where it stopped.",
        footer = {"", "Exit codes: 0 done, 1 a step failed, 2 usage or script error,",
                "3 waiting for approval, 4 rejected, 130 interrupted (journal saved)."})
final class RunCommand extends CliCommand {

    private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

    /** Slipway's own version, from the runner jar's manifest; a runner built from source says so. */
    static final class OwnVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RunCommand.class.getPackage().getImplementationVersion();
            return new String[] {"slipway " + (v != null ? v : "(built from source, no version)")};
        }
    }

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCRIPT", description = "The pipeline script, e.g. release.kts.")
    Path script;

    @Option(names = "--version", paramLabel = "X", description = "The version to release (PEP 440).")
    String version;

    @Option(names = "--runner-version", versionHelp = true, description = "Print Slipway's own version and exit.")
    boolean runnerVersion;

    @Mixin
    ScriptOptions options;

    @Option(names = "--dry-run", description = "Rehearse: nothing is pushed, changed files are restored afterwards.")
    boolean dryRun;

    @Option(names = "--non-interactive", description = "Never prompt; approvals follow the credential policy (also when CI is set).")
    boolean nonInteractive;

    @Option(names = "--approve", paramLabel = "ID", description = "Approve the approval or confirm step ID; repeatable.")
    List<String> approve = new ArrayList<>();

    @Option(names = "--reject", paramLabel = "ID", description = "Reject the approval step ID: the release ends (exit 4).")
    List<String> reject = new ArrayList<>();

    @Option(names = "--reason", paramLabel = "TEXT", description = "With --reject: why, recorded in the journal and the report.")
    String reason;

    @Option(names = "--plan", description = "Print what would run, then stop.")
    boolean plan;

    @Option(names = "--restart", description = "Forget the journal of this release and start over.")
    boolean restart;

    @Option(names = "--from", paramLabel = "JOB/STEP", description = "Run this step and everything after it again.")
    String from;

    @Option(names = "--until", paramLabel = "JOB", description = "Stop after this job and the jobs it needs; the rest runs later.")
    private String until;

    @Option(names = "--handoff", paramLabel = "FILE", description = "With --until: write the release to FILE (.tgz) for another"
            + " machine. Without: take the release from FILE, on a fresh checkout at the same path, and go on.")
    private Path handoff;

    @Option(names = "--jobs", paramLabel = "N", description = "Jobs run in parallel at most (default: the number of cores).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where journals live (default: .slipway next to the script).")
    Path stateDir;

    @Option(names = "--log-dir", paramLabel = "DIR", description = "Where release logs go (default: <state-dir>/logs).")
    Path logDir;


    /** Counted down when a run has ended, its report is written and its console closed; Ctrl-C waits for it. */
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Masker masker;
    private final List<String> args;

    /**
     * @param masker already masking {@code out} and {@code err}; the run's log, journal and report use it too
     * @param args   the command line, for the job summary's "what next"
     */
    RunCommand(Map<String, String> env, Path cwd, PrintStream out, PrintStream err, Masker masker, List<String> args) {
        super(env, cwd, out, err);
        this.masker = masker;
        this.args = args;
    }

    static void exitUnlessShuttingDown(int code) {
        if (!SHUTTING_DOWN.get()) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        try {
            return release();
        } catch (UserError e) {
            return Main.report(e, err);
        }
    }

    private int release() throws UserError {
        if (script == null) {
            throw UserError.usage("no script given", "runner release.kts --version 1.2.0 (runner --help lists the commands)");
        }
        if (version == null || version.isBlank()) {
            throw UserError.usage("--version is required to run a release", "runner " + script + " --version 1.2.0");
        }
        ReleaseVersion.check(version);
        checkOptions();
        Path workspace = at(script).toAbsolutePath().normalize().getParent();
        Map<String, String> stepEnv = options.stepEnv(env);
        Approvals approvals = new Approvals(Set.copyOf(approve), Set.copyOf(reject), Optional.ofNullable(reason));
        StepCatalog catalog = options.plugins(cwd, env, err, approvals);
        maskCredentials(catalog.credentialProbes(), stepEnv);
        Map<String, String> params = options.params();
        Pipeline pipeline = ScriptOptions.evaluate(cwd, script, version, params, dryRun, stepEnv, err);
        RunConsole console = RunConsole.detect(env, nonInteractive, out, masker);
        approvals.usePrompt(console.prompt());
        Plan whole;
        try {
            whole = Plan.of(pipeline, catalog);
        } catch (Plan.InvalidPipelineException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            err.println("hint: fix the script; nothing has run");
            return 2;
        }
        Engine.maskSecrets(masker, whole); // before the journal records the --set options
        Plan checked = cut(whole);
        if (from != null && checked.order().stream().flatMap(j -> checked.steps(j).stream())
                .noneMatch(s -> s.address().equals(from))) {
            throw UserError.usage("--from " + from + " names no step of pipeline '" + pipeline.name() + "'",
                    "give it as job/step; runner --plan lists them");
        }
        List<String> gates = checked.order().stream().flatMap(j -> checked.steps(j).stream())
                .filter(s -> s.type() instanceof ApprovalStep || s.type() instanceof ConfirmStep)
                .map(s -> s.step().id()).toList();
        for (String id : approvals.named()) {
            if (!gates.contains(id)) {
                throw UserError.usage("--approve/--reject " + id + " names no approval or confirm step",
                        gates.isEmpty() ? "this pipeline has none" : "its approval and confirm steps: " + String.join(", ", gates));
            }
        }
        if (plan) {
            PlanPrinter.print(checked, out);
            return 0;
        }
        Path states = stateDir != null ? at(stateDir) : workspace.resolve(".slipway");
        Path logs = logDir != null ? at(logDir) : states.resolve("logs");
        if (logDir != null && !Files.isDirectory(logs)) {
            // Made here for the release's log: inside the repository, git ignores it, as it ignores the state dir.
            try {
                Journal.ignoreInGit(Files.createDirectories(logs));
            } catch (IOException e) {
                throw UserError.usage("cannot make the log folder " + logs + ": " + e.getMessage(), "give a --log-dir this user can write");
            }
        }
        Path journalDir = Journal.directory(states, pipeline.name(), version, dryRun);
        Path repository = realPath(workspace);
        if (handoff != null && until == null) {
            Handoff.receive(at(handoff), pipeline.name(), version, repository, journalDir.resolve("journal.json"), params)
                    .forEach(line -> out.println("handoff: " + line));
        }
        Journal journal;
        try {
            journal = Journal.open(states, new Release(pipeline.name(), version, dryRun, repository.toString(),
                    workspace.relativize(at(script).toAbsolutePath().normalize()).toString()), restart);
        } catch (JournalLockedException e) {
            throw UserError.usage(e.getMessage(), "one release runs at a time in a repository: wait for that one to end,"
                    + " or stop it, then run this command again");
        } catch (JournalUnusableException e) {
            throw UserError.usage(e.getMessage(), e.hint());
        } catch (IOException e) {
            throw UserError.usage("cannot open the journal in " + journalDir + ": " + e.getMessage(), "check that the state dir is writable and has space");
        }
        approvals.useJournal(journal);
        boolean github = "true".equals(env.get("GITHUB_ACTIONS"));
        try (journal; RunLog log = new RunLog(console.view(), logs.resolve(pipeline.name() + "-" + version + (dryRun ? "-dry-run" : "") + ".log"),
                masker, options.debug, github)) {
            int code;
            try {
                code = execute(checked, journal, log, console, workspace, stepEnv, params);
                if (code == 0 && until != null && handoff != null) {
                    Handoff.Manifest m = Handoff.write(at(handoff), journal, repository, params);
                    List<String> there = NextSteps.command(args, Set.of("--until", "--handoff", "--from"), Set.of("--restart"));
                    there.addAll(List.of("--handoff", Report.shellWord(at(handoff).toAbsolutePath().normalize().toString())));
                    log.info("handoff: wrote " + handoff + " (" + m.git().tags().size() + " tag(s), " + m.artifacts().size()
                            + " file(s)); on the other machine, in a checkout of " + m.start().substring(0, 7) + " at " + repository
                            + ", with the handoff copied to the same path: " + String.join(" ", there));
                }
            } catch (JournalWriteException e) {
                // The journal keeps the last state it could write; the report would go beside it and fail the same way.
                log.error(e.getMessage());
                log.info("hint: make room (or fix the state dir), then run the same command again: it resumes from the journal");
                return 1;
            }
            writeReport(journal, log, journalDir, code, github);
            return code;
        } catch (IOException e) {
            throw UserError.usage(e.getMessage(), null);
        } finally {
            // after the log closed (the live view's summary) and the journal: an interrupted run may exit now
            finished.countDown();
        }
    }

    /** The plan as far as {@code --until} goes. */
    private Plan cut(Plan whole) throws UserError {
        try {
            return until == null ? whole : whole.until(until);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--until " + e.getMessage(), "runner " + script + " --plan lists the jobs");
        }
    }

    private static Path realPath(Path workspace) throws UserError {
        try {
            return workspace.toRealPath();
        } catch (IOException e) {
            throw UserError.usage("cannot find the script's folder " + workspace + ": " + e.getMessage(), "give the path of release.kts");
        }
    }

    /** Options that make no sense together or point at the wrong thing: refused before the script is read. */
    private void checkOptions() throws UserError {
        if (handoff != null && dryRun) {
            throw UserError.usage("--handoff carries a release, not a dry run", "leave out --dry-run, or --handoff");
        }
        if (jobs < 1) {
            throw UserError.usage("--jobs must be at least 1, not " + jobs, "--jobs 1 runs one job at a time; without --jobs, as many as there are cores");
        }
        if (reason != null && (reject.isEmpty() || reason.isBlank())) {
            throw UserError.usage(reason.isBlank() ? "--reason is empty" : "--reason goes with --reject",
                    "runner " + script + " --version " + version + " --reject ID --reason \"why\"");
        }
        for (String id : approve) {
            if (reject.contains(id)) {
                throw UserError.usage("--approve and --reject both name " + id, "decide once: give " + id + " to one of them");
            }
        }
        requireFolder("--state-dir", stateDir);
        requireFolder("--log-dir", logDir);
    }

    private void requireFolder(String option, Path dir) throws UserError {
        if (dir != null && Files.exists(at(dir)) && !Files.isDirectory(at(dir))) {
            throw UserError.usage(option + " " + dir + " is a file, not a folder", "give a folder (it is created if missing), or leave the option out");
        }
    }

    /**
     * Before the script is evaluated, so that what it prints is masked like everything else: every
     * credential value the plugins' probes know of (the passwords of ~/.pypirc, say). One that
     * cannot be read cannot be masked, so nothing runs.
     */
    private void maskCredentials(List<CredentialProbe> probes, Map<String, String> stepEnv) throws UserError {
        for (CredentialProbe probe : probes) {
            try {
                probe.secrets(stepEnv).forEach(masker::add);
            } catch (RuntimeException e) {
                throw UserError.usage("cannot read the credentials to hide them: " + e.getMessage(),
                        "make the file readable or move it aside; nothing has run");
            }
        }
    }

    private void writeReport(Journal journal, RunLog log, Path dir, int code, boolean github) {
        try {
            String outcome = journal.read(d -> d.runs.isEmpty() ? "unknown" : d.runs.get(d.runs.size() - 1).outcome);
            String md = journal.read(d -> {
                try {
                    return NextSteps.underTitle(Report.write(d, outcome, dir, log.masker()),
                            log.masker().mask(NextSteps.markdown(d, args)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            log.info("report: " + dir.resolve("report.md") + " (exit " + code + ")");
            String summary = env.get("GITHUB_STEP_SUMMARY");
            if (github && summary != null && !summary.isBlank()) {
                Report.appendTo(at(Path.of(summary)), md);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            log.warn("cannot write the report: " + e.getMessage());
        }
    }

    /**
     * Git lock files left by a run of this release that was killed while git wrote (its last run
     * record has no end) are removed, with a warning naming each; any other lock file stops the run
     * before it starts, named in the returned sentence: another git command may be writing.
     */
    private static Optional<String> clearGitLocks(Path workspace, Instant crashedRunStarted, RunLog log) {
        try {
            for (Path lock : GitLocks.in(workspace)) {
                Instant made = Files.getLastModifiedTime(lock).toInstant();
                if (crashedRunStarted == null || made.isBefore(crashedRunStarted)) {
                    return Optional.of("git's lock file " + lock + " is in the way: another git command is writing in its"
                            + " repository, or one was killed while it did (the file is from " + made + ")");
                }
                Files.deleteIfExists(lock);
                log.warn("removed " + lock + ": the interrupted run of this release was killed while git wrote it");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot look for git's lock files: " + e.getMessage());
        }
    }

    /** Where {@code runner abandon} would take the repository back to. */
    private static void recordStartHead(Journal journal, Path workspace, RunLog log) {
        try {
            String head = Rollback.head(workspace).orElse(null);
            journal.update(d -> d.startHead = head);
        } catch (IOException e) {
            log.warn("cannot read the commit the release starts from (" + e.getMessage() + "); runner abandon will not move the branch back");
        }
    }

    private int execute(Plan checked, Journal journal, RunLog log, RunConsole console, Path workspace,
                        Map<String, String> stepEnv, Map<String, String> params) {
        Pipeline pipeline = checked.pipeline();
        RunScope scope = new RunScope(pipeline.name(), version, workspace, stepEnv, dryRun, journal, log);
        if (dryRun) {
            scope.restorePreserved();
        } else {
            scope.restoreCrashedDryRuns();
        }
        Instant crashedRunStarted = journal.read(d -> d.runs.isEmpty() || d.runs.get(d.runs.size() - 1).ended != null
                ? null : d.runs.get(d.runs.size() - 1).started);
        Optional<String> lockInTheWay = clearGitLocks(workspace, crashedRunStarted, log);
        if (lockInTheWay.isPresent()) {
            log.error(lockInTheWay.get());
            log.info("hint: if no git command is running in this repository, delete the file, then run the same command again");
            return 2;
        }
        if (restart) {
            List<String> carried = stillChanged(journal, workspace);
            if (!carried.isEmpty()) {
                log.error("an earlier run of " + pipeline.name() + " " + version + " changed " + carried.size()
                        + " file(s) that still carry its changes (" + String.join(", ", carried.subList(0, Math.min(5, carried.size())))
                        + (carried.size() > 5 ? ", ..." : "") + "), in the work tree or in a commit; --restart would start"
                        + " the release over on top of them");
                log.info("hint: to start over, undo that run first: " + AbandonCommand.command(script, version, stateDir, params) + " puts the branch and the files"
                        + " back; or run the same command without --restart to resume it; nothing was changed");
                return 2;
            }
            journal.update(d -> {
                d.steps.clear();
                d.runs.clear();
            });
            String journalOf = "restart: the journal of " + pipeline.name() + " " + version;
            log.info(journal.setAside().map(p -> journalOf + " could not be resumed; it was moved to " + p).orElse(journalOf + " was discarded"));
        }
        boolean resumed = journal.read(d -> !d.steps.isEmpty());
        if (!dryRun && !resumed) {
            recordStartHead(journal, workspace, log);
        }
        log.info("slipway: " + (resumed ? "resuming" : "starting") + " " + pipeline.name() + " " + version
                + (dryRun ? " (dry run)" : "") + "; journal " + journal.file());
        JournalData.RunRecord run = new JournalData.RunRecord();
        run.started = Instant.now();
        run.user = System.getProperty("user.name");
        // what runner abandon needs to see the same steps; masked as everything the journal keeps
        run.params = new LinkedHashMap<>();
        params.forEach((k, v) -> run.params.put(log.masker().mask(k), log.masker().mask(v)));
        journal.update(d -> d.runs.add(run));

        Thread interrupt = new Thread(() -> {
            SHUTTING_DOWN.set(true);
            if (finished.getCount() == 0) {
                return;
            }
            // Said before the cancel, so it names what was running when the signal came; a terminal's
            // live view says the same for Ctrl-C (it handles that signal itself).
            List<String> running = journal.read(d -> d.steps.entrySet().stream()
                    .filter(e -> e.getValue().status == StepStatus.RUNNING).map(Map.Entry::getKey).sorted().toList());
            if (!running.isEmpty()) {
                log.info("slipway: stopping: waiting for " + String.join(", ", running) + " to end (at most 30 s)");
            }
            scope.cancel();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(130);
        }, "slipway-interrupt");
        Runtime.getRuntime().addShutdownHook(interrupt);
        console.onInterrupt(scope::cancel, scope::pendingCleanup);
        Engine.Result result;
        try {
            result = new Engine(checked, scope, jobs, Optional.ofNullable(from)).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = Engine.Result.CANCELLED;
        }
        scope.end(Engine.endOutcome(result));
        if (result == Engine.Result.SUCCEEDED && !dryRun && until == null) {
            // done: nothing left to abandon (a run stopped by --until is not done: abandon still gives the files back)
            journal.update(d -> d.preserved.clear());
        }
        Engine.Result outcome = result;
        journal.update(d -> {
            run.ended = Instant.now();
            run.outcome = outcome.name().toLowerCase();
        });
        log.info(switch (result) {
            case SUCCEEDED -> until == null ? "slipway: " + pipeline.name() + " " + version + " done"
                    : "slipway: " + pipeline.name() + " " + version + " stopped after " + until + " (--until); the same command"
                    + " without --until goes on" + (handoff == null ? "" : ", here or, with --handoff, on another machine");
            case FAILED -> "slipway: " + pipeline.name() + " " + version + " stopped at a failed step; fix it and run the same command again to resume";
            case WAITING -> "slipway: waiting for approval; run the same command again to continue";
            case REJECTED -> "slipway: the release was rejected; runner abandon " + script + " --version " + version
                    + " (with the same --set options) undoes its commits, tags and file changes if nothing was published";
            case CANCELLED -> "slipway: interrupted; the journal is saved, run the same command again to resume";
        });
        if (!SHUTTING_DOWN.get()) {
            Runtime.getRuntime().removeShutdownHook(interrupt);
        }
        return result.exitCode;
    }

    /**
     * The files an earlier run of this release changed (their original bytes are in the journal, for
     * abandon) that differ from those originals now: the run's edits, in the tree or committed. A run
     * whose failed tests gave the files back leaves none.
     */
    private static List<String> stillChanged(Journal journal, Path workspace) {
        Map<String, String> preserved = journal.read(d -> new LinkedHashMap<>(d.preserved));
        List<String> changed = new ArrayList<>();
        preserved.forEach((file, original) -> {
            if (original == null) {
                return; // a file the run made (built files, a new changelog): left over, not under or in a commit of it
            }
            Path path = workspace.resolve(file);
            try {
                boolean same = Files.isRegularFile(path) && java.util.Arrays.equals(Files.readAllBytes(path), Base64.getDecoder().decode(original));
                if (!same) {
                    changed.add(file);
                }
            } catch (IOException e) {
                changed.add(file);
            }
        });
        return changed;
    }
}
