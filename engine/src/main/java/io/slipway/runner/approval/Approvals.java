package io.slipway.runner.approval;

import io.slipway.runner.journal.Journal;
import io.slipway.runner.journal.StepRecord;
import io.slipway.spi.CredentialProbe;
import io.slipway.spi.StepContext;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * How this run decides approvals: from {@code --approve}/{@code --reject}, from a person at a
 * terminal, or (non-interactive) from the credential policy. Every decision is journaled with who,
 * when and how.
 */
public final class Approvals {

    private final Set<String> approve;
    private final Set<String> reject;
    private final Optional<String> rejectReason;
    private Optional<Prompt> prompt = Optional.empty();
    private List<CredentialProbe> probes = List.of();
    private Optional<Journal> journal = Optional.empty();

    /**
     * What a gate shows, laid out for the space there is: no line wider than {@code width}, and no
     * more than {@code rows} lines, so that the first line stays on the screen with the prompt.
     */
    @FunctionalInterface
    public interface Summary {
        List<String> lines(int width, int rows);
    }

    /** Asks a person; empty when nobody is at a terminal. */
    public interface Prompt {

        /**
         * What the person answered: a rejection with the reason they gave; CANCELLED for Ctrl-C or
         * the end of input, which decides nothing.
         */
        record Answer(Kind kind, String reason) {
            public enum Kind { APPROVED, REJECTED, CANCELLED }

            public static final Answer APPROVED = new Answer(Kind.APPROVED, null);
            public static final Answer CANCELLED = new Answer(Kind.CANCELLED, null);

            public static Answer rejected(String reason) {
                return new Answer(Kind.REJECTED, reason);
            }
        }

        /** Shows the summary, laid out for the terminal, and asks; {@code details} are shown in full on request. */
        Answer ask(String title, Summary summary, List<String> details);
    }

    /**
     * Decisions given on the command line; nobody to ask until {@link #usePrompt}.
     *
     * @param rejectReason why, for the gates in {@code reject} ({@code --reason})
     */
    public Approvals(Set<String> approve, Set<String> reject, Optional<String> rejectReason) {
        this.approve = Set.copyOf(approve);
        this.reject = Set.copyOf(reject);
        this.rejectReason = rejectReason;
    }

    /** For commands that load plugins but run nothing: no decisions given, nobody to ask. */
    public static Approvals none() {
        return new Approvals(Set.of(), Set.of(), Optional.empty());
    }

    /** The person at the terminal, once the console is known (after the plugins and the script). */
    public void usePrompt(Optional<Prompt> prompt) {
        this.prompt = prompt;
    }

    public void useProbes(List<CredentialProbe> probes) {
        this.probes = List.copyOf(probes);
    }

    /** The run's journal, where an approval reads the results of the steps it names as checks. */
    public void useJournal(Journal journal) {
        this.journal = Optional.of(journal);
    }

    /** How a step named as a check ended, as its journal record says; empty when it has no record (or no journal). */
    Optional<StepRecord> result(String step) {
        return journal.flatMap(j -> j.read(d -> Optional.ofNullable(d.steps.get(step))));
    }

    /**
     * Where the credentials for {@code target} come from ({@code "from TWINE_USERNAME/TWINE_PASSWORD"}),
     * or that they are missing, with the probes' hint on how to provide them.
     */
    Credentials credentials(String target, Map<String, String> env) {
        Optional<String> source = probes.stream().map(p -> p.findSource(target, env)).flatMap(Optional::stream).findFirst();
        return new Credentials(source, source.isPresent() ? Optional.empty()
                : probes.stream().map(p -> p.hint(target, env)).flatMap(Optional::stream).findFirst());
    }

    /** A target's credentials: the source that provides them, or the hint when there is none. */
    record Credentials(Optional<String> source, Optional<String> hint) {
    }

    /** The ids named by --approve and --reject, to check that they name gates of the pipeline. */
    public Set<String> named() {
        Set<String> all = new java.util.TreeSet<>(approve);
        all.addAll(reject);
        return all;
    }

    /**
     * Decides a gate or throws: approved returns normally (the decision journaled), rejected and
     * waiting throw {@link GateException}.
     *
     * @param targets         targets whose credentials the policy needs; empty for a plain confirmation
     * @param autoWhenHeadless a confirmation the script declares automatic in non-interactive runs
     */
    void decide(StepContext ctx, String gate, String title, Summary summary, List<String> details,
                List<String> targets, boolean autoWhenHeadless) throws GateException {
        String id = gate;
        if (reject.contains(id)) {
            record(ctx, "rejected", "--reject " + id, rejectReason);
            throw new GateException(GateException.Kind.REJECTED, "\"" + id + "\" was rejected with --reject " + id
                    + rejectReason.map(r -> ": " + r).orElse(""),
                    "nothing after it ran; run again with --approve " + id + " if the release should go on");
        }
        if (approve.contains(id)) {
            record(ctx, "approved", "--approve " + id, Optional.empty());
            return;
        }
        if (prompt.isEmpty() && ctx.journal().get("decision").filter("rejected"::equals).isPresent()) {
            // A person said no: only a person undoes that (--approve or the prompt), never the credential policy
            // or a confirmation declared automatic, whatever a later run has in its environment.
            throw new GateException(GateException.Kind.REJECTED, "\"" + id + "\" was rejected by "
                    + ctx.journal().get("by").orElse("someone") + " via " + ctx.journal().get("how").orElse("an earlier run")
                    + ctx.journal().get("reason").map(r -> ": " + r).orElse("") + "; a rejection holds until someone approves",
                    "run again with --approve " + id + " if the release should go on, or undo it with runner abandon");
        }
        if (prompt.isPresent()) {
            Prompt.Answer answer = prompt.get().ask(title, summary, details);
            switch (answer.kind()) {
                case CANCELLED -> throw new GateException(GateException.Kind.CANCELLED,
                        "\"" + id + "\" was not decided: the prompt was cancelled", "run the same command again to be asked again");
                case REJECTED -> {
                    record(ctx, "rejected", "terminal prompt", Optional.ofNullable(answer.reason()));
                    throw new GateException(GateException.Kind.REJECTED, "\"" + id + "\" was rejected at the prompt"
                            + (answer.reason() == null ? "" : ": " + answer.reason()),
                            "nothing after it ran; run the same command again to be asked again");
                }
                case APPROVED -> record(ctx, "approved", "terminal prompt", Optional.empty());
            }
            return;
        }
        summary.lines(Integer.MAX_VALUE, Integer.MAX_VALUE).forEach(l -> ctx.log().info(l));
        if (targets.isEmpty()) {
            if (autoWhenHeadless) {
                record(ctx, "approved", "declared automatic for non-interactive runs", Optional.empty());
                return;
            }
            throw new GateException(GateException.Kind.WAITING, "waiting for confirmation \"" + id + "\": " + title,
                    "confirm it by running the same command with --approve " + id);
        }
        List<String> sources = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        for (String target : targets) {
            Credentials found = credentials(target, ctx.env());
            if (found.source().isPresent()) {
                sources.add(target + " from " + found.source().get());
            } else {
                missing.add(target);
                found.hint().ifPresent(hints::add);
            }
        }
        if (!missing.isEmpty()) {
            throw new GateException(GateException.Kind.WAITING, "waiting for approval \"" + id + "\": missing credentials for "
                    + String.join(", ", missing),
                    (hints.isEmpty() ? "provide credentials for " + String.join(", ", missing) : String.join("; ", hints))
                            + ", then run the same command again; or approve with --approve " + id);
        }
        ctx.log().info("approved by credential policy: " + String.join("; ", sources));
        record(ctx, "approved", "credential policy (" + String.join("; ", sources) + ")", Optional.empty());
    }

    /** @param reason why it was rejected, when someone said */
    private static void record(StepContext ctx, String decision, String how, Optional<String> reason) {
        String who = System.getProperty("user.name") + gitIdentity(ctx).map(g -> " (git: " + g + ")").orElse("");
        ctx.journal().put("decision", decision);
        ctx.journal().put("by", who);
        ctx.journal().put("how", how);
        ctx.journal().put("at", Instant.now().toString());
        reason.ifPresentOrElse(r -> ctx.journal().put("reason", r), () -> ctx.journal().remove("reason"));
        ctx.output("decision", decision);
        ctx.log().info(decision + " by " + who + " via " + how + reason.map(r -> ": " + r).orElse(""));
    }

    /**
     * The git identity the approver commits as: {@code GIT_AUTHOR_NAME}/{@code _EMAIL} when set,
     * else user.name/user.email of the repository's configuration (with the user's global one).
     */
    private static Optional<String> gitIdentity(StepContext ctx) {
        String name = ctx.env().get("GIT_AUTHOR_NAME");
        String email = ctx.env().get("GIT_AUTHOR_EMAIL");
        if (name == null) {
            try (Repository repo = new FileRepositoryBuilder().findGitDir(ctx.workspace().toFile()).setMustExist(true).build()) {
                name = repo.getConfig().getString("user", null, "name");
                email = repo.getConfig().getString("user", null, "email");
            } catch (IOException | IllegalArgumentException e) {
                return Optional.empty(); // not a git repository: the OS user is all there is
            }
        }
        return name == null ? Optional.empty() : Optional.of(name + (email == null ? "" : " <" + email + ">"));
    }
}
