package io.slipway.runner.engine;

import io.slipway.runner.journal.Journal;
import io.slipway.runner.journal.StepRecord;
import io.slipway.runner.model.OutputRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A step's inputs as the journal resolves them: each reference replaced by the producing step's journaled output. */
final class References {

    private References() {
    }

    /**
     * @throws IllegalArgumentException naming the input, when a reference has no value
     */
    static Map<String, Object> resolve(Plan.PlannedStep ps, Journal journal) {
        Map<String, Object> given = new LinkedHashMap<>();
        ps.step().inputs().forEach((name, value) -> given.put(name, value(journal, name, value)));
        return Inputs.resolveAll(ps.type().inputs(), given);
    }

    /** A reference becomes its output; a list may mix references and values, and list outputs are flattened into it. */
    private static Object value(Journal journal, String input, Object value) {
        if (value instanceof OutputRef ref) {
            Object v = output(journal, ref.step(), ref.output());
            if (v == null) {
                throw new IllegalArgumentException("input '" + input + "' refers to " + ref + ", which has no value");
            }
            return v;
        }
        if (value instanceof List<?> list && list.stream().anyMatch(OutputRef.class::isInstance)) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                Object v = value(journal, input, item);
                if (v instanceof List<?> inner) {
                    out.addAll(inner);
                } else {
                    out.add(v);
                }
            }
            return out;
        }
        return value;
    }

    /** A step's journaled output; {@code null} if it has none by that name or has not run. */
    static Object output(Journal journal, String step, String name) {
        return journal.read(d -> {
            StepRecord r = d.steps.get(step);
            return r == null ? null : r.outputs.get(name);
        });
    }
}
