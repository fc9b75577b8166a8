package io.slipway.plugin.tagging;

import io.slipway.plugin.gitsupport.RemoteAccess;
import io.slipway.plugin.gitsupport.Repositories;
import io.slipway.spi.StepException;
import io.slipway.spi.StepLog;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * One push of the release's refs, and an exact account of where each ref is afterwards.
 *
 * <p>The push is atomic (all refs or none) when the remote supports it, as git servers since 2.4,
 * GitHub and GitLab do; otherwise the branch is pushed before the tags, so a pushed tag never
 * marks a commit the remote lacks, and a failure says which refs reached the remote.
 */
final class Push {

    /** What a successful push did: refs updated and refs that were already there. */
    record Report(String remote, List<String> pushed, List<String> alreadyThere) {
        Report alsoThere(List<String> refs) {
            return new Report(remote, pushed, concat(alreadyThere, refs));
        }

        String summary() {
            if (pushed.isEmpty()) {
                return "already pushed to " + remote + ": " + String.join(", ", alreadyThere);
            }
            return "pushed " + String.join(", ", pushed) + " to " + remote
                    + (alreadyThere.isEmpty() ? "" : " (already there: " + String.join(", ", alreadyThere) + ")");
        }
    }

    private final Git git;
    private final RemoteAccess access;
    private final String remote;
    private final StepLog log;

    Push(Git git, RemoteAccess access, String remote, StepLog log) {
        this.git = git;
        this.access = access;
        this.remote = remote;
        this.log = log;
    }

    static String names(List<RefSpec> specs) {
        return specs.stream().map(RefSpec::getDestination).collect(Collectors.joining(", "));
    }

    /** Pushes the refs; fails naming every refused ref, the remote's own words, and what is where. */
    Report run(List<RefSpec> specs) throws StepException {
        try {
            return check(call(specs, true, false), true);
        } catch (AtomicUnsupported e) {
            log.warn(remote + " does not support atomic pushes: pushing the branch first, then the tags");
            List<String> pushed = new ArrayList<>();
            List<String> already = new ArrayList<>();
            for (RefSpec spec : specs) {
                Report one;
                try {
                    one = check(call(List.of(spec), false, false), false);
                } catch (StepException refused) {
                    throw new StepException(refused.getMessage() + "; already on " + remote + ": "
                            + (pushed.isEmpty() && already.isEmpty() ? "nothing" : String.join(", ", concat(pushed, already)))
                            + "; only local: " + names(specs.subList(specs.indexOf(spec), specs.size())),
                            refused.hint());
                }
                pushed.addAll(one.pushed());
                already.addAll(one.alreadyThere());
            }
            return new Report(remote, pushed, already);
        }
    }

    /** A dry run: the remote is asked, nothing is sent. Returns what a real push would do. */
    String rehearse(List<RefSpec> specs) throws StepException {
        Report report = check(call(specs, false, true), false);
        return report.pushed().isEmpty() ? report.summary()
                : "would push " + String.join(", ", report.pushed()) + " to " + remote;
    }

    private Iterable<PushResult> call(List<RefSpec> specs, boolean atomic, boolean dryRun) throws StepException {
        PushCommand push = git.push().setRemote(remote).setRefSpecs(specs).setAtomic(atomic).setDryRun(dryRun);
        // git honours remote.<name>.receivepack; JGit's PushCommand would replace it with its default.
        String receivePack = git.getRepository().getConfig().getString("remote", remote, "receivepack");
        if (receivePack != null) {
            push.setReceivePack(receivePack);
        }
        try {
            return access.apply(push).call();
        } catch (GitAPIException e) {
            if (atomic && String.valueOf(e.getMessage()).contains(JGitText.get().atomicPushNotSupported)) {
                throw new AtomicUnsupported();
            }
            throw Repositories.unreachable("pushing " + names(specs) + " to", remote, e);
        }
    }

    private Report check(Iterable<PushResult> results, boolean atomic) throws StepException {
        List<String> pushed = new ArrayList<>();
        List<String> already = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> said = new ArrayList<>();
        boolean nonFastForward = false;
        for (PushResult result : results) {
            if (result.getMessages() != null && !result.getMessages().isBlank()) {
                said.add(result.getMessages().strip());
            }
            for (RemoteRefUpdate u : result.getRemoteUpdates()) {
                switch (u.getStatus()) {
                    case OK -> pushed.add(u.getRemoteName());
                    case UP_TO_DATE -> already.add(u.getRemoteName());
                    default -> {
                        refused.add(u.getRemoteName() + " (" + reason(u) + ")");
                        nonFastForward |= u.getStatus() == RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD;
                    }
                }
            }
        }
        if (refused.isEmpty()) {
            return new Report(remote, pushed, already);
        }
        String message = remote + " refused the push of " + String.join(", ", refused)
                + (said.isEmpty() ? "" : "; " + remote + " said: " + String.join(" ", said).replace('\n', ' '))
                + (atomic ? "; the push was atomic, so nothing changed on " + remote : "");
        String hint = nonFastForward
                ? "the remote branch has commits this clone lacks: pull them (git pull --rebase " + remote
                        + "), check the release is still right, and run it again"
                : "fix what " + remote + " refused (its words above), then run the release again: the tags are"
                        + " removed locally when this run ends and created again then";
        throw new StepException(message, hint);
    }

    private static String reason(RemoteRefUpdate u) {
        String detail = u.getMessage() == null ? "" : ": " + u.getMessage();
        return switch (u.getStatus()) {
            case REJECTED_NONFASTFORWARD -> "non-fast-forward, the remote has commits this clone lacks";
            case REJECTED_REMOTE_CHANGED -> "the remote ref changed during the push" + detail;
            case REJECTED_NODELETE -> "the remote refuses deletions" + detail;
            case NON_EXISTING -> "the remote ref does not exist" + detail;
            case NOT_ATTEMPTED -> "not attempted" + detail;
            case AWAITING_REPORT -> "the remote sent no report" + detail;
            default -> "rejected" + detail;
        };
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The remote lacks the atomic capability; {@link #run} pushes ref by ref instead. */
    private static final class AtomicUnsupported extends RuntimeException {
        AtomicUnsupported() {
            super(null, null, false, false);
        }
    }
}
