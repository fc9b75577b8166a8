package io.slipway.runner.engine;

import io.slipway.runner.console.Masker;
import io.slipway.runner.console.RunLog;
import io.slipway.runner.journal.Journal;
import io.slipway.runner.journal.JournalData;
import io.slipway.spi.PipelineEnd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every step of one run shares: the release, the workspace, the environment, the journal,
 * the log, subprocesses, end-of-run hooks and the dry-run file guard.
 */
public final class RunScope {

    final String pipeline;
    final String version;
    final Path workspace;
    final Map<String, String> env;
    final boolean dryRun;
    final Journal journal;
    final RunLog log;
    private final java.util.Set<Exec> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;
    /** End-of-run hooks with the step that registered each. */
    private final List<Map.Entry<String, PipelineEnd>> hooks = Collections.synchronizedList(new ArrayList<>());

    public RunScope(String pipeline, String version, Path workspace, Map<String, String> env, boolean dryRun,
                    Journal journal, RunLog log) {
        this.pipeline = pipeline;
        this.version = version;
        this.workspace = workspace.toAbsolutePath().normalize();
        this.env = Map.copyOf(env);
        this.dryRun = dryRun;
        this.journal = journal;
        this.log = log;
    }

    public Masker masker() {
        return log.masker();
    }

    public RunLog log() {
        return log;
    }

    public Journal journal() {
        return journal;
    }

    /** A subprocess runner for one step attempt; killed by {@link #cancel()} or by the step's own timeout. */
    Exec newExec() {
        Exec exec = new Exec(log.masker());
        running.add(exec);
        if (cancelled) {
            exec.cancelAll();
        }
        return exec;
    }

    void release(Exec exec) {
        running.remove(exec);
    }

    /** Interrupts the run: running subprocesses are killed, no further step starts. */
    public void cancel() {
        cancelled = true;
        running.forEach(Exec::cancelAll);
    }

    public boolean cancelled() {
        return cancelled;
    }

    void addHook(String step, PipelineEnd hook) {
        hooks.add(Map.entry(step, hook));
    }

    /** The steps whose end-of-run hooks have yet to run, in order, each once. */
    public List<String> pendingCleanup() {
        synchronized (hooks) {
            return hooks.stream().map(Map.Entry::getKey).distinct().toList();
        }
    }

    /** Runs the end-of-run hooks, newest first; a failing hook is reported and the others still run. */
    public void end(PipelineEnd.Outcome outcome) {
        List<PipelineEnd> copy;
        synchronized (hooks) {
            copy = new ArrayList<>(hooks.stream().map(Map.Entry::getValue).toList());
            hooks.clear();
        }
        Collections.reverse(copy);
        for (PipelineEnd hook : copy) {
            try {
                hook.onEnd(outcome);
            } catch (Exception e) {
                log.warn("clean-up at the end of the run failed: " + e.getMessage());
            }
        }
        if (dryRun) {
            restorePreserved();
        }
    }

    /**
     * Keeps a file's original bytes in the journal before a step first changes it: a dry run puts
     * them back at its end, {@code runner abandon} puts back those of a real run.
     */
    void preserve(Path file) {
        Path abs = workspace.resolve(file).toAbsolutePath().normalize();
        String key = workspace.relativize(abs).toString();
        journal.update(d -> {
            if (d.preserved.containsKey(key)) {
                return;
            }
            if (Files.isDirectory(abs)) {
                return; // an existing directory: its files are preserved one by one
            }
            try {
                d.preserved.put(key, Files.exists(abs) ? Base64.getEncoder().encodeToString(Files.readAllBytes(abs)) : null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot keep a copy of " + abs + " for the dry run", e);
            }
        });
    }

    /**
     * Puts every preserved file back as it was, byte for byte, and forgets the copies. Called at the
     * end of a dry run, when a dry run starts after a crashed one, and by {@code runner abandon}.
     */
    public void restorePreserved() {
        Map<String, String> preserved = journal.read(d -> new java.util.LinkedHashMap<>(d.preserved));
        if (preserved.isEmpty()) {
            return;
        }
        Optional<List<String>> restored = restore(preserved);
        if (restored.isEmpty()) {
            return;
        }
        journal.update(d -> d.preserved.clear());
        if (!restored.get().isEmpty()) {
            log.info((dryRun ? "dry run: " : "") + "put back " + restored.get().size() + " changed file(s) as they were before the release: "
                    + some(restored.get()));
        }
    }

    /**
     * A real run after a dry run that was killed before it could put back what it changed (its
     * journal still keeps the originals): puts them back first, and says so.
     */
    public void restoreCrashedDryRuns() {
        try {
            for (JournalData dry : journal.crashedDryRuns()) {
                Optional<List<String>> restored = restore(dry.preserved);
                if (restored.isPresent()) {
                    journal.forgetPreserved(dry);
                    if (!restored.get().isEmpty()) {
                        log.warn("a dry run of " + dry.pipeline + " " + dry.version + " was killed before it could put back the files it"
                                + " changed; restored them: " + some(restored.get()));
                    }
                }
            }
        } catch (IOException e) {
            log.error("cannot read the journals of earlier dry runs: " + e.getMessage());
        }
    }

    /** The first few names and how many more: a line stays short for a monorepo of fifty packages. */
    private static String some(java.util.Collection<String> names) {
        List<String> first = names.stream().limit(4).toList();
        return String.join(", ", first) + (names.size() > first.size() ? " and " + (names.size() - first.size()) + " more" : "");
    }

    /**
     * Writes each file back (a deleted one again, with its folder), or deletes one that did not
     * exist; a file that already holds its original bytes is left alone. Returns the files that
     * needed it; empty, after saying which, if one cannot be restored.
     */
    private Optional<List<String>> restore(Map<String, String> preserved) {
        List<String> restored = new ArrayList<>();
        for (Map.Entry<String, String> e : preserved.entrySet()) {
            Path target = workspace.resolve(e.getKey());
            try {
                if (e.getValue() == null) {
                    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        deleteTree(target);
                        restored.add(e.getKey());
                    }
                } else {
                    byte[] bytes = Base64.getDecoder().decode(e.getValue());
                    if (!Files.isRegularFile(target) || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
                        Files.createDirectories(target.getParent());
                        Files.write(target, bytes);
                        restored.add(e.getKey());
                    }
                }
            } catch (IOException ex) {
                log.error("cannot put back " + target + " as it was: " + ex.getMessage());
                return Optional.empty();
            }
        }
        return Optional.of(restored);
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
