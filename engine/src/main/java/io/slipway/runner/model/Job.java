package io.slipway.runner.model;

import java.util.List;
import java.util.Map;

/**
 * A job: steps run in order; jobs run when every job in {@code needs} has succeeded.
 *
 * @param group for a job made by a matrix, the matrix's id (a {@code needs} on the group waits for all of them)
 */
public record Job(String id, List<String> needs, List<Step> steps, Map<String, String> env, String group,
                  Location location) {

    public Job {
        needs = List.copyOf(needs);
        steps = List.copyOf(steps);
        env = Map.copyOf(env);
    }
}
