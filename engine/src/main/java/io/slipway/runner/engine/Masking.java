package io.slipway.runner.engine;

import io.slipway.runner.console.Masker;
import io.slipway.spi.InputSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers the secrets a plan declares, and masks secrets inside values (inputs, outputs) before
 * they reach the journal or a later step's view.
 */
final class Masking {

    private Masking() {
    }

    /**
     * Before the first step: the literal values of secret inputs, job and step environment
     * variables named like credentials, and credentials written into URLs anywhere in them.
     */
    static void register(Masker masker, Plan plan) {
        for (String job : plan.order()) {
            for (Plan.PlannedStep ps : plan.steps(job)) {
                masker.addSecretsFrom(ps.job().env());
                masker.addSecretsFrom(ps.step().env());
                for (InputSpec spec : ps.type().inputs()) {
                    Object literal = ps.step().inputs().get(spec.name());
                    if (spec.secret() && literal instanceof String s) {
                        masker.add(s);
                    }
                }
                // Every literal, however nested: ", " separates them, and white space ends a URL's user info.
                masker.addUrlCredentialsIn(ps.step().inputs().toString());
            }
        }
    }

    static Map<String, Object> outputs(Masker masker, Map<String, Object> outputs) {
        Map<String, Object> out = new LinkedHashMap<>();
        outputs.forEach((k, v) -> out.put(k, value(masker, v)));
        return out;
    }

    static Object value(Masker masker, Object v) {
        if (v instanceof String s) {
            return masker.mask(s);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(x -> value(masker, x)).toList();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(masker.mask(k.toString()), value(masker, x)));
            return out;
        }
        return v;
    }
}
