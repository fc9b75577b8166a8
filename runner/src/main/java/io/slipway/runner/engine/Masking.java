package io.slipway.runner.engine;

import io.slipway.runner.console.Masker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Masks secrets inside output values before they reach the journal or a later step's view. */
final class Masking {

    private Masking() {
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
            m.forEach((k, x) -> out.put(k.toString(), value(masker, x)));
            return out;
        }
        return v;
    }
}
