package io.slipway.runner.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One step of a job, as declared.
 *
 * @param id              unique within its job
 * @param uses            the step type ({@code plugin-id}, {@code plugin-id/name}, or a built-in: run, log)
 * @param inputs          literal values or {@link OutputRef}s
 * @param files           workspace-relative paths or globs whose content is part of the fingerprint
 * @param condition       {@code null} to always run
 * @param timeout         {@code null} for the step type's own limits
 * @param retries         extra attempts after a failure
 * @param retryBackoff    wait before the first retry, doubled each time
 * @param continueOnError a failure does not stop the job
 * @param location        the script line that declares the step
 * @param inputLocations  the script line of each input's {@code input(...)} call, where the script has one
 */
public record Step(String id, String uses, Map<String, Object> inputs, Map<String, String> env, List<String> files,
                   Condition condition, Duration timeout, int retries, Duration retryBackoff, boolean continueOnError,
                   Location location, Map<String, Location> inputLocations) {

    public Step {
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        env = Map.copyOf(env);
        files = List.copyOf(files);
        inputLocations = Map.copyOf(inputLocations);
    }

    /** Where the script gives this input: its own line, else the step's. */
    public Location locationOf(String input) {
        return inputLocations.getOrDefault(input, location);
    }
}
