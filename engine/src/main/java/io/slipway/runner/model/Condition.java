package io.slipway.runner.model;

/** A step's {@code onlyIf} condition, evaluated when the step is about to start. */
@FunctionalInterface
public interface Condition {

    boolean test(ConditionScope scope);

    /** What a condition may look at. */
    interface ConditionScope {
        String version();

        boolean dryRun();

        /** An earlier step's output, {@code null} if it has none by that name or has not run. */
        Object output(String step, String name);
    }
}
