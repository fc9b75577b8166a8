package io.slipway.spi;

/**
 * Declares one output of a {@link StepType}. Later steps reference it in {@code release.kts} as
 * {@code output("job/step", "name")}; the reference is resolved when the later step starts.
 *
 * @param name        the name passed to {@link StepContext#output}
 * @param type        the value's type
 * @param description one sentence for {@code runner plugins}
 */
public record OutputSpec(String name, InputType type, String description) {
}
