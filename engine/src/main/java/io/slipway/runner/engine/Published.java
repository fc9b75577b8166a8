package io.slipway.runner.engine;

import io.slipway.runner.journal.StepRecord;
import io.slipway.runner.journal.StepStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a release has put where others can see it, as its steps judge from the journal ({@code StepType#published}). */
public final class Published {

    private Published() {
    }

    /**
     * The steps' answers, each line prefixed by the step it is about.
     *
     * @param published  one line per thing a step says it published
     * @param notInPlan  the steps that ran but that the script, evaluated with these options, does
     *                   not have (so they cannot be asked): their addresses
     * @param unanswered one line per step that cannot answer (its inputs no longer resolve, it
     *                   fails, or it is not in the plan), in the order the lines are shown
     */
    public record Answer(List<String> published, List<String> notInPlan, List<String> unanswered) {

        /** Nothing published and every step answered: the release may be undone. */
        public boolean nothing() {
            return published.isEmpty() && unanswered.isEmpty();
        }

        /** Every line, published first. */
        public List<String> lines() {
            List<String> all = new ArrayList<>(published);
            all.addAll(unanswered);
            return all;
        }
    }

    /**
     * Asks every step that ran. A step that cannot answer (not in the plan, its inputs no longer
     * resolve, or it fails) is not taken as having published nothing: nothing is undone on a guess.
     */
    public static Answer of(Plan plan, RunScope scope) {
        List<String> published = new ArrayList<>();
        List<String> notInPlan = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        Map<String, StepRecord> records = scope.journal.read(d -> new java.util.LinkedHashMap<>(d.steps));
        records.forEach((address, r) -> {
            if (r.status != StepStatus.PENDING && plan.step(address) == null) {
                notInPlan.add(address);
                unanswered.add(address + ": cannot tell what it published: the script, evaluated with these options, has no such"
                        + " step (give the --set options the release ran with)");
            }
        });
        for (String job : plan.order()) {
            for (Plan.PlannedStep ps : plan.steps(job)) {
                StepRecord r = records.get(ps.address());
                if (r == null || r.status == StepStatus.PENDING) {
                    continue;
                }
                Map<String, Object> inputs;
                try {
                    inputs = References.resolve(ps, scope.journal);
                } catch (IllegalArgumentException e) {
                    unanswered.add(ps.address() + ": cannot tell what it published (" + e.getMessage() + ")");
                    continue;
                }
                Exec exec = scope.newExec();
                try {
                    RunningStep ctx = new RunningStep(scope, ps.address(), ps.type(), inputs, Map.of(), exec);
                    ps.type().published(ctx).forEach(l -> published.add(ps.address() + ": " + l));
                } catch (Exception | LinkageError e) {
                    unanswered.add(ps.address() + ": cannot tell what it published (" + e.getMessage() + ")");
                } finally {
                    scope.release(exec);
                }
            }
        }
        return new Answer(List.copyOf(published), List.copyOf(notInPlan), List.copyOf(unanswered));
    }
}
