package io.slipway.runner.engine;

import io.slipway.runner.console.RunView;
import io.slipway.runner.journal.StepStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The life of one step in one run, and the only place where a step's status changes. Each change
 * is written to the journal first, then shown:
 *
 * <pre>
 * PENDING ──> DONE_EARLIER                       it succeeded in an earlier run and nothing changed since
 *        ├──> SKIPPED                            its onlyIf condition was false
 *        ├──> FAILED                             its inputs could not be resolved
 *        └──> RUNNING ──> SUCCEEDED | SKIPPED    (the step type may skip itself)
 *                    ├──> FAILED ──> RUNNING     a retry
 *                    │          └──> INTERRUPTED  cancelled while it waited for its retry
 *                    ├──> INTERRUPTED            the run was cancelled, or Ctrl-C at its prompt
 *                    └──> WAITING | REJECTED     an approval or confirmation
 * </pre>
 *
 * Outputs belong to one attempt: starting an attempt clears the journaled outputs, and the attempt's
 * end records what it set, also when it failed (so that a {@code continueOnError} step hands its
 * {@code exit-code} on, and a step that failed after going stale hands on nothing old). A reference
 * to an output the failed attempt did not set has no value, and the step that needs it fails.
 */
final class StepRun {

    /** Where the step stands in this run. */
    enum State {
        PENDING, DONE_EARLIER, SKIPPED, RUNNING, SUCCEEDED, FAILED, INTERRUPTED, WAITING, REJECTED;

        private Set<State> next() {
            return switch (this) {
                case PENDING -> EnumSet.of(DONE_EARLIER, SKIPPED, FAILED, RUNNING);
                case RUNNING -> EnumSet.of(SUCCEEDED, SKIPPED, FAILED, INTERRUPTED, WAITING, REJECTED);
                case FAILED -> EnumSet.of(RUNNING, INTERRUPTED);
                default -> EnumSet.noneOf(State.class);
            };
        }

        /** How the journal records it; {@code null} where the journal keeps the earlier record as it is. */
        StepStatus journaled() {
            return switch (this) {
                case PENDING, DONE_EARLIER -> null;
                case SKIPPED -> StepStatus.SKIPPED;
                case RUNNING -> StepStatus.RUNNING;
                case SUCCEEDED -> StepStatus.SUCCEEDED;
                case FAILED -> StepStatus.FAILED;
                case INTERRUPTED -> StepStatus.INTERRUPTED;
                case WAITING -> StepStatus.WAITING;
                case REJECTED -> StepStatus.REJECTED;
            };
        }

        private RunView.Outcome shown() {
            return switch (this) {
                case SUCCEEDED -> RunView.Outcome.OK;
                case DONE_EARLIER -> RunView.Outcome.DONE_EARLIER;
                case SKIPPED -> RunView.Outcome.SKIPPED;
                case FAILED -> RunView.Outcome.FAILED;
                case INTERRUPTED -> RunView.Outcome.INTERRUPTED;
                case WAITING -> RunView.Outcome.WAITING;
                case REJECTED -> RunView.Outcome.REJECTED;
                case PENDING, RUNNING -> throw new IllegalArgumentException(name() + " is not an end");
            };
        }
    }

    private final RunScope scope;
    private final String address;
    private State state = State.PENDING;
    private int attempt;
    private long startedNanos;

    StepRun(RunScope scope, String address) {
        this.scope = scope;
        this.address = address;
    }

    String address() {
        return address;
    }

    State state() {
        return state;
    }

    private void move(State to) {
        if (!state.next().contains(to)) {
            throw new IllegalStateException(address + " cannot go from " + state + " to " + to);
        }
        state = to;
    }

    /** Succeeded in an earlier run with the same fingerprint: nothing to do, nothing written. */
    void doneEarlier(StepStatus earlier) {
        move(State.DONE_EARLIER);
        scope.log.stepFinished(address, State.DONE_EARLIER.shown(),
                "done " + address + " (" + earlier.name().toLowerCase(Locale.ROOT) + " in an earlier run)", null);
    }

    /** Not run: its onlyIf condition was false. The fingerprint lets a resumed run treat it as done. */
    void skipped(String reason, String fingerprint) {
        move(State.SKIPPED);
        scope.journal.updateStep(address, r -> {
            r.status = StepStatus.SKIPPED;
            r.message = reason;
            r.hint = null;
            r.outputs = new LinkedHashMap<>();
            r.fingerprint = fingerprint;
            r.ended = Instant.now();
        });
        scope.log.stepFinished(address, State.SKIPPED.shown(), "skip " + address + ": " + reason, reason);
    }

    /** Failed before an attempt could start (its inputs could not be resolved). */
    void failedBeforeStart(String message, String hint) {
        move(State.FAILED);
        scope.journal.updateStep(address, r -> {
            r.status = StepStatus.FAILED;
            r.message = scope.masker().mask(message);
            r.hint = scope.masker().mask(hint);
            r.outputs = new LinkedHashMap<>();
            r.ended = Instant.now();
        });
        scope.log.stepFinished(address, State.FAILED.shown(), address + ": " + message, null);
        scope.log.info("hint: " + hint);
    }

    /** An attempt starts: running, the inputs it sees (secrets as ***), no outputs yet. */
    void start(Map<String, Object> shownInputs) {
        move(State.RUNNING);
        attempt++;
        startedNanos = System.nanoTime();
        scope.journal.updateStep(address, r -> {
            r.status = StepStatus.RUNNING;
            r.attempts++;
            r.started = Instant.now();
            r.ended = null;
            r.inputs = shownInputs;
            r.outputs = new LinkedHashMap<>();
            r.message = null;
            r.hint = null;
        });
        scope.log.group(address);
        scope.log.stepStarted(address, "> " + address + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
    }

    /** The run was cancelled while the step waited for its next attempt. */
    void interruptedBeforeRetry() {
        move(State.INTERRUPTED);
        scope.journal.updateStep(address, r -> r.status = StepStatus.INTERRUPTED);
        scope.log.stepFinished(address, State.INTERRUPTED.shown(), "interrupted " + address + " before its next attempt", null);
    }

    /**
     * The attempt ended.
     *
     * @param outputs     what the attempt set, masked
     * @param fingerprint recorded when it succeeded or skipped itself; ignored otherwise
     */
    void finish(State end, String message, String hint, Map<String, Object> outputs, String fingerprint) {
        move(end);
        String shownMessage = scope.masker().mask(message);
        String shownHint = scope.masker().mask(hint);
        scope.journal.updateStep(address, r -> {
            r.status = end.journaled();
            r.ended = Instant.now();
            r.message = shownMessage;
            r.hint = shownHint;
            r.outputs = new LinkedHashMap<>(outputs);
            if (end == State.SUCCEEDED || end == State.SKIPPED) {
                r.fingerprint = fingerprint;
            }
        });
        scope.log.endGroup();
        String took = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
        scope.log.stepFinished(address, end.shown(), switch (end) {
            case SUCCEEDED -> "ok " + address + " (" + took + ")" + (message != null ? ": " + message : "");
            case SKIPPED -> "skip " + address + ": " + message;
            case WAITING -> "waiting " + address + ": " + message;
            case REJECTED -> "rejected " + address + ": " + message;
            case INTERRUPTED -> "interrupted " + address + " (" + took + ")"; // the journal keeps the step's own message
            default -> address + " failed (" + took + "): " + message;
        }, end == State.SUCCEEDED || end == State.SKIPPED ? message : null);
    }
}
