package io.slipway.runner.approval;

import io.slipway.spi.CredentialProbe;
import io.slipway.spi.StepContext;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    private Optional<Prompt> prompt = Optional.empty();
    private List<CredentialProbe> probes = List.of();

    /** Asks a person; empty when nobody is at a terminal. */
    public interface Prompt {
        /** What the person answered; CANCELLED for Ctrl-C or the end of input, which decide nothing. */
        enum Answer { APPROVED, REJECTED, CANCELLED }

        /** Shows the lines and asks. */
        Answer ask(String title, List<String> summary, List<String> details);
    }

    /** Decisions given on the command line; nobody to ask until {@link #usePrompt}. */
    public Approvals(Set<String> approve, Set<String> reject) {
        this.approve = Set.copyOf(approve);
        this.reject = Set.copyOf(reject);
    }

    /** For commands that load plugins but run nothing: no decisions given, nobody to ask. */
    public static Approvals none() {
        return new Approvals(Set.of(), Set.of());
    }

    /** The person at the terminal, once the console is known (after the plugins and the script). */
    public void usePrompt(Optional<Prompt> prompt) {
        this.prompt = prompt;
    }

    public void useProbes(List<CredentialProbe> probes) {
        this.probes = List.copyOf(probes);
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
    void decide(StepContext ctx, String gate, String title, List<String> summary, List<String> details,
                List<String> targets, boolean autoWhenHeadless) throws GateException {
        String id = gate;
        if (reject.contains(id)) {
            record(ctx, "rejected", "--reject " + id);
            throw new GateException(GateException.Kind.REJECTED, "\"" + id + "\" was rejected with --reject " + id,
                    "nothing after it ran; run again with --approve " + id + " if the release should go on");
        }
        if (approve.contains(id)) {
            record(ctx, "approved", "--approve " + id);
            return;
        }
        if (prompt.isPresent()) {
            Prompt.Answer answer = prompt.get().ask(title, summary, details);
            if (answer == Prompt.Answer.CANCELLED) {
                throw new GateException(GateException.Kind.CANCELLED, "\"" + id + "\" was not decided: the prompt was cancelled",
                        "run the same command again to be asked again");
            }
            record(ctx, answer == Prompt.Answer.APPROVED ? "approved" : "rejected", "terminal prompt");
            if (answer == Prompt.Answer.REJECTED) {
                throw new GateException(GateException.Kind.REJECTED, "\"" + id + "\" was rejected at the prompt",
                        "nothing after it ran; run the same command again to be asked again");
            }
            return;
        }
        summary.forEach(l -> ctx.log().info(l));
        if (targets.isEmpty()) {
            if (autoWhenHeadless) {
                record(ctx, "approved", "declared automatic for non-interactive runs");
                return;
            }
            throw new GateException(GateException.Kind.WAITING, "waiting for confirmation \"" + id + "\": " + title,
                    "confirm it by running the same command with --approve " + id);
        }
        List<String> sources = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        for (String target : targets) {
            Optional<String> source = probes.stream().map(p -> p.findSource(target, ctx.env()))
                    .flatMap(Optional::stream).findFirst();
            if (source.isPresent()) {
                sources.add(target + " from " + source.get());
            } else {
                missing.add(target);
                probes.stream().map(p -> p.hint(target, ctx.env())).flatMap(Optional::stream).findFirst().ifPresent(hints::add);
            }
        }
        if (!missing.isEmpty()) {
            throw new GateException(GateException.Kind.WAITING, "waiting for approval \"" + id + "\": missing credentials for "
                    + String.join(", ", missing),
                    (hints.isEmpty() ? "provide credentials for " + String.join(", ", missing) : String.join("; ", hints))
                            + ", then run the same command again; or approve with --approve " + id);
        }
        ctx.log().info("approved by credential policy: " + String.join("; ", sources));
        record(ctx, "approved", "credential policy (" + String.join("; ", sources) + ")");
    }

    private static void record(StepContext ctx, String decision, String how) {
        String who = System.getProperty("user.name") + gitIdentity(ctx).map(g -> " (git: " + g + ")").orElse("");
        ctx.journal().put("decision", decision);
        ctx.journal().put("by", who);
        ctx.journal().put("how", how);
        ctx.journal().put("at", Instant.now().toString());
        ctx.output("decision", decision);
        ctx.log().info(decision + " by " + who + " via " + how);
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
