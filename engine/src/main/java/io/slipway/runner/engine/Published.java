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
     * One line per thing published, prefixed by the step that says so. A step that cannot answer
     * (its inputs no longer resolve, or it fails) counts as having published something: nothing is
     * undone on a guess.
     */
    public static List<String> of(Plan plan, RunScope scope) {
        List<String> lines = new ArrayList<>();
        Map<String, StepRecord> records = scope.journal.read(d -> new java.util.LinkedHashMap<>(d.steps));
        records.forEach((address, r) -> {
            if (r.status != StepStatus.PENDING && plan.step(address) == null) {
                lines.add(address + ": cannot tell what it published: the script, evaluated with these options, has no such"
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
                    lines.add(ps.address() + ": cannot tell what it published (" + e.getMessage() + ")");
                    continue;
                }
                Exec exec = scope.newExec();
                try {
                    RunningStep ctx = new RunningStep(scope, ps.address(), ps.type(), inputs, Map.of(), exec);
                    ps.type().published(ctx).forEach(l -> lines.add(ps.address() + ": " + l));
                } catch (Exception | LinkageError e) {
                    lines.add(ps.address() + ": cannot tell what it published (" + e.getMessage() + ")");
                } finally {
                    scope.release(exec);
                }
            }
        }
        return lines;
    }
}
