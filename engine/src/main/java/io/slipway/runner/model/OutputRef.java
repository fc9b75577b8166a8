package io.slipway.runner.model;

/**
 * A step input that takes an earlier step's output, resolved when the step starts.
 *
 * @param step   the producing step's address, {@code job/step}
 * @param output the output's name
 */
public record OutputRef(String step, String output) {
    @Override
    public String toString() {
        return "output(\"" + step + "\", \"" + output + "\")";
    }
}
