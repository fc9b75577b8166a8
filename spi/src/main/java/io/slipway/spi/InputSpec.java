package io.slipway.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Declares one input of a {@link StepType}.
 *
 * <p>The runner checks every step's inputs against these declarations before anything runs:
 * unknown names, missing required inputs and values of the wrong type stop the run with exit 2.
 * A secret input's value is masked in the console, log, journal and report, and reaches the step
 * only through {@link StepContext#string}.
 *
 * @param name         the name used in the script's {@code input(...)} call
 * @param type         the value's type
 * @param required     whether the script must give a value
 * @param defaultValue the value when the script gives none ({@code null} for none); a String for
 *                     STRING, Boolean, Integer, {@code List<String>} or {@code Map<String,String>}
 * @param secret       whether the value must never be shown
 * @param description  one sentence for {@code runner plugins}
 * @param checks       rules the value must follow beyond its type ({@link InputCheck})
 */
public record InputSpec(String name, InputType type, boolean required, Object defaultValue, boolean secret,
                        String description, List<InputCheck> checks) {

    public InputSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        checks = List.copyOf(checks);
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("input '" + name + "' is required and cannot have a default");
        }
    }

    public InputSpec(String name, InputType type, boolean required, Object defaultValue, boolean secret, String description) {
        this(name, type, required, defaultValue, secret, description, List.of());
    }

    /** An input the script must give. */
    public static InputSpec required(String name, InputType type, String description) {
        return new InputSpec(name, type, true, null, false, description);
    }

    /** An input with a default value ({@code null} for "absent unless given"). */
    public static InputSpec optional(String name, InputType type, Object defaultValue, String description) {
        return new InputSpec(name, type, false, defaultValue, false, description);
    }

    /** The same input, marked secret. */
    public InputSpec asSecret() {
        return new InputSpec(name, type, required, defaultValue, true, description, checks);
    }

    /** The same input with one more rule its value must follow. */
    public InputSpec withCheck(InputCheck check) {
        List<InputCheck> more = new ArrayList<>(checks);
        more.add(Objects.requireNonNull(check));
        return new InputSpec(name, type, required, defaultValue, secret, description, more);
    }
}
