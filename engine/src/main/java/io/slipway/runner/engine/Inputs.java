package io.slipway.runner.engine;

import io.slipway.runner.model.OutputRef;
import io.slipway.spi.InputCheck;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts a value written in a script (or produced as an output) to an input's declared type. */
public final class Inputs {

    private Inputs() {
    }

    /**
     * The value as the declared type: String, Boolean, Integer, {@code List<String>} or
     * {@code Map<String,String>}.
     *
     * @throws Invalid with a sentence naming the input, the type and the value
     */
    public static Object coerce(InputSpec spec, Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof OutputRef || raw instanceof Collection<?> c && c.stream().anyMatch(OutputRef.class::isInstance)) {
            // Checked for its type when the step starts and the reference has a value.
            return raw;
        }
        Object value = convert(spec, raw);
        for (InputCheck check : spec.checks()) {
            Collection<?> items = value instanceof Collection<?> c ? c : value instanceof Map<?, ?> m ? m.values() : List.of(value);
            for (Object item : items) {
                check.problem(item).ifPresent(p -> {
                    throw new Invalid(spec.name(), "input '" + spec.name() + "' "
                            + (spec.secret() ? "has a value its step does not accept (not shown: it is secret)" : p));
                });
            }
        }
        return value;
    }

    private static Object convert(InputSpec spec, Object raw) {
        InputType type = spec.type();
        switch (type) {
            case STRING:
                if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
                    return raw.toString();
                }
                break;
            case BOOLEAN:
                if (raw instanceof Boolean b) {
                    return b;
                }
                if (raw instanceof String s && (s.equals("true") || s.equals("false"))) {
                    return Boolean.valueOf(s);
                }
                break;
            case INTEGER:
                if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
                    return ((Number) raw).intValue();
                }
                if (raw instanceof String s && s.matches("-?\\d{1,9}")) {
                    return Integer.valueOf(s);
                }
                break;
            case LIST:
                if (raw instanceof String s) {
                    return List.of(s);
                }
                if (raw instanceof Collection<?> c && c.stream().allMatch(Inputs::scalar)) {
                    List<String> out = new ArrayList<>();
                    c.forEach(v -> out.add(v.toString()));
                    return List.copyOf(out);
                }
                if (raw instanceof Map<?, ?> m && m.values().stream().allMatch(Inputs::scalar)) {
                    // An output map (file -> URL) given where a list is wanted contributes its values.
                    return m.values().stream().map(Object::toString).toList();
                }
                break;
            case MAP:
                if (raw instanceof Map<?, ?> m && m.values().stream().allMatch(Inputs::scalar)) {
                    Map<String, String> out = new LinkedHashMap<>();
                    m.forEach((k, v) -> out.put(k.toString(), v.toString()));
                    return out;
                }
                break;
            default:
                break;
        }
        throw new Invalid(spec.name(), "input '" + spec.name() + "' must be " + describe(type) + ", not "
                + (spec.secret() ? "the value given" : show(raw)));
    }

    private static boolean scalar(Object v) {
        return v instanceof String || v instanceof Number || v instanceof Boolean;
    }

    static String describe(InputType type) {
        return switch (type) {
            case STRING -> "a string";
            case BOOLEAN -> "true or false";
            case INTEGER -> "a whole number";
            case LIST -> "a list of strings";
            case MAP -> "a map of strings";
        };
    }

    static String show(Object raw) {
        if (raw instanceof String s) {
            return "\"" + s + "\"";
        }
        if (raw instanceof Collection<?>) {
            return "the list " + raw;
        }
        if (raw instanceof Map<?, ?>) {
            return "the map " + raw;
        }
        return raw.toString();
    }

    /**
     * Checks the given values against a step type's declarations and returns the values by name,
     * converted, with defaults applied.
     *
     * @throws Invalid naming the first unknown, missing or ill-typed input
     */
    static Map<String, Object> resolveAll(Collection<InputSpec> specs, Map<String, Object> given) {
        Map<String, InputSpec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                throw new Invalid(name, "unknown input '" + name + "'"
                        + Spelling.closest(name, byName.keySet()).map(k -> " (did you mean '" + k + "'?)").orElse("")
                        + (byName.isEmpty() ? "; this step takes no inputs" : "; it takes " + String.join(", ", byName.keySet())));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (InputSpec spec : byName.values()) {
            Object raw = given.get(spec.name());
            if (raw == null && spec.required()) {
                throw new Invalid(null, "input '" + spec.name() + "' is required (" + describe(spec.type()) + ")");
            }
            out.put(spec.name(), coerce(spec, raw != null ? raw : spec.defaultValue()));
        }
        return out;
    }

    /** A value the input does not take, or an input the step does not have: one sentence, and which input it is. */
    public static final class Invalid extends IllegalArgumentException {

        private final String input;

        Invalid(String input, String message) {
            super(message);
            this.input = input;
        }

        /** The input the script gives with the wrong value or name; {@code null} for a missing one. */
        public String input() {
            return input;
        }
    }
}
