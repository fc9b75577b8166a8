package io.slipway.runner.plugin;

import io.slipway.runner.engine.Inputs;
import io.slipway.spi.InputSpec;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepType;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a step type declares, checked when its plugin loads: inputs and outputs that can be listed,
 * names that are unique, and defaults of the declared type that pass the input's own checks. A
 * mistake is then the plugin's problem, named with it, instead of an error on a user's script line.
 */
final class StepContract {

    private StepContract() {
    }

    /** The first thing wrong with the type's declarations, as the end of a sentence about its plugin. */
    static Optional<String> problem(StepType type) {
        String who = "its step type \"" + type.id() + "\" ";
        List<InputSpec> inputs;
        List<OutputSpec> outputs;
        try {
            inputs = type.inputs();
            outputs = type.outputs();
        } catch (RuntimeException | LinkageError e) {
            return Optional.of(who + "cannot list its inputs and outputs: " + e);
        }
        if (inputs == null || outputs == null) {
            return Optional.of(who + "returns null instead of a list of its " + (inputs == null ? "inputs" : "outputs"));
        }
        Set<String> names = new HashSet<>();
        for (InputSpec spec : inputs) {
            if (spec.name().isBlank() || !names.add(spec.name())) {
                return Optional.of(who + "declares the input \"" + spec.name() + "\" " + (spec.name().isBlank() ? "with no name" : "twice"));
            }
            try {
                Inputs.coerce(spec, spec.defaultValue());
            } catch (IllegalArgumentException e) {
                return Optional.of(who + "declares a default for input \"" + spec.name() + "\" that it does not accept itself ("
                        + e.getMessage() + ")");
            }
        }
        names.clear();
        for (OutputSpec spec : outputs) {
            if (spec.name().isBlank() || !names.add(spec.name())) {
                return Optional.of(who + "declares the output \"" + spec.name() + "\" " + (spec.name().isBlank() ? "with no name" : "twice"));
            }
        }
        return Optional.empty();
    }
}
