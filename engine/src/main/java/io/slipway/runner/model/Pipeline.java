package io.slipway.runner.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A release pipeline as {@code release.kts} declared it: immutable, nothing has run.
 *
 * @param params   the {@code param(...)} names the script declared, with their defaults ({@code null} = none)
 * @param detected what the script read from the repository while it was evaluated (packages, where
 *                 versions live, the tag convention), one line each, for the plan
 */
public record Pipeline(String name, List<Job> jobs, Map<String, String> params, Location location, List<String> detected) {

    public Pipeline {
        jobs = List.copyOf(jobs);
        detected = List.copyOf(detected);
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }

    public Optional<Job> job(String id) {
        return jobs.stream().filter(j -> j.id().equals(id)).findFirst();
    }
}
