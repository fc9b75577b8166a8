package io.slipway.runner.engine;

import io.slipway.runner.model.Job;
import io.slipway.runner.model.Location;
import io.slipway.runner.model.OutputRef;
import io.slipway.runner.model.Pipeline;
import io.slipway.runner.model.Step;
import io.slipway.runner.plugin.StepCatalog;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pipeline checked against the step catalog: every step resolved to its type, every literal input
 * type-checked, every reference pointing at an earlier step's declared output, {@code needs} known
 * and acyclic. Built before anything runs; a plan that exists is runnable.
 */
public final class Plan {

    /** A step with its resolved type. */
    public record PlannedStep(Job job, Step step, StepType type, String origin) {
        public String address() {
            return job.id() + "/" + step.id();
        }
    }

    /** One thing wrong with the script, where it is, and (maybe) what to do. */
    public record Problem(Location location, String message) {
        @Override
        public String toString() {
            return location + ": " + message;
        }
    }

    /** Thrown by {@link #of} with every problem found. */
    public static final class InvalidPipelineException extends Exception {
        private final List<Problem> problems;

        InvalidPipelineException(List<Problem> problems) {
            super(problems.size() + " problem(s) in the pipeline");
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    private final Pipeline pipeline;
    private final Map<String, List<PlannedStep>> stepsByJob;
    /** For each job, the ids of the jobs it waits for (matrix groups expanded). */
    private final Map<String, Set<String>> needs;
    private final List<String> order;

    private Plan(Pipeline pipeline, Map<String, List<PlannedStep>> stepsByJob, Map<String, Set<String>> needs,
                 List<String> order) {
        this.pipeline = pipeline;
        this.stepsByJob = stepsByJob;
        this.needs = needs;
        this.order = order;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public List<PlannedStep> steps(String jobId) {
        return stepsByJob.get(jobId);
    }

    /** The step at {@code job/step}, or {@code null}. */
    public PlannedStep step(String address) {
        return stepsByJob.values().stream().flatMap(List::stream).filter(s -> s.address().equals(address))
                .findFirst().orElse(null);
    }

    public Set<String> needs(String jobId) {
        return needs.get(jobId);
    }

    /** Job ids in an order where each job comes after the jobs it needs. */
    public List<String> order() {
        return order;
    }

    /**
     * This plan cut after {@code job}: that job (or every job of that matrix group) and the jobs it
     * needs, directly or not. The rest is left out, so a run of it stops there.
     *
     * @throws IllegalArgumentException naming the known jobs, if {@code job} is neither a job nor a group
     */
    public Plan until(String job) {
        Deque<String> todo = new ArrayDeque<>(order.contains(job) ? List.of(job)
                : pipeline.jobs().stream().filter(j -> job.equals(j.group())).map(Job::id).toList());
        if (todo.isEmpty()) {
            throw new IllegalArgumentException("\"" + job + "\" is not a job of pipeline '" + pipeline.name()
                    + "'; its jobs: " + String.join(", ", order));
        }
        Set<String> kept = new HashSet<>();
        while (!todo.isEmpty()) {
            String j = todo.pop();
            if (kept.add(j)) {
                todo.addAll(needs.get(j));
            }
        }
        Map<String, List<PlannedStep>> steps = new LinkedHashMap<>(stepsByJob);
        steps.keySet().retainAll(kept);
        Map<String, Set<String>> keptNeeds = new LinkedHashMap<>(needs);
        keptNeeds.keySet().retainAll(kept);
        return new Plan(pipeline, steps, keptNeeds, order.stream().filter(kept::contains).toList());
    }

    public static Plan of(Pipeline pipeline, StepCatalog catalog) throws InvalidPipelineException {
        List<Problem> problems = new ArrayList<>();
        Map<String, Set<String>> needs = new LinkedHashMap<>();
        Set<String> jobIds = new HashSet<>();
        pipeline.jobs().forEach(j -> jobIds.add(j.id()));
        for (Job job : pipeline.jobs()) {
            Set<String> expanded = new LinkedHashSet<>();
            for (String n : job.needs()) {
                List<String> group = pipeline.jobs().stream().filter(j -> n.equals(j.group())).map(Job::id).toList();
                if (jobIds.contains(n)) {
                    expanded.add(n);
                } else if (!group.isEmpty()) {
                    expanded.addAll(group);
                } else {
                    problems.add(new Problem(job.location(), "job \"" + job.id() + "\" needs \"" + n
                            + "\", which is not a job of this pipeline; known jobs: " + String.join(", ", jobIds)));
                }
            }
            needs.put(job.id(), expanded);
        }
        List<String> order = topologicalOrder(pipeline, needs, problems);

        Map<String, List<PlannedStep>> stepsByJob = new LinkedHashMap<>();
        Map<String, PlannedStep> byAddress = new HashMap<>();
        Set<String> unknownType = new HashSet<>();
        for (Job job : pipeline.jobs()) {
            List<PlannedStep> planned = new ArrayList<>();
            for (Step step : job.steps()) {
                var entry = catalog.find(step.uses());
                if (entry.isEmpty()) {
                    problems.add(new Problem(step.location(), catalog.suggest(step.uses())
                            .map(s -> "unknown step type \"" + step.uses() + "\"; did you mean \"" + s + "\"? (runner plugins lists the step types)")
                            .orElse("no plugin provides \"" + step.uses() + "\"; is it in --plugins-dir or SLIPWAY_PLUGINS_DIR?"
                                    + " (runner plugins lists the plugins loaded)")));
                    unknownType.add(job.id() + "/" + step.id());
                    continue;
                }
                PlannedStep ps = new PlannedStep(job, step, entry.get().type(), entry.get().origin());
                planned.add(ps);
                byAddress.put(ps.address(), ps);
            }
            stepsByJob.put(job.id(), planned);
        }
        for (List<PlannedStep> planned : stepsByJob.values()) {
            for (PlannedStep ps : planned) {
                checkInputs(ps, byAddress, unknownType, needs, planned, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidPipelineException(problems);
        }
        return new Plan(pipeline, stepsByJob, needs, order);
    }

    private static void checkInputs(PlannedStep ps, Map<String, PlannedStep> byAddress, Set<String> unknownType, Map<String, Set<String>> needs,
                                    List<PlannedStep> sameJob, List<Problem> problems) {
        ps.step().inputs().forEach((name, value) -> {
            List<?> items = value instanceof List<?> l ? l : List.of(value);
            for (Object item : items) {
                if (item instanceof OutputRef ref && !unknownType.contains(ref.step())) { // that step's own error is enough
                    checkReference(ps, name, ref, byAddress, needs, sameJob, problems);
                }
            }
        });
        try {
            Inputs.resolveAll(ps.type().inputs(), ps.step().inputs());
        } catch (Inputs.Invalid e) {
            Location at = e.input() == null ? ps.step().location() : ps.step().locationOf(e.input());
            problems.add(new Problem(at, "step \"" + ps.address() + "\" (" + ps.type().id() + "): " + e.getMessage()));
        }
    }

    private static void checkReference(PlannedStep ps, String input, OutputRef ref, Map<String, PlannedStep> byAddress,
                                       Map<String, Set<String>> needs, List<PlannedStep> sameJob, List<Problem> problems) {
        PlannedStep producer = byAddress.get(ref.step());
        String where = "input '" + input + "' of step \"" + ps.address() + "\" refers to " + ref;
        if (producer == null) {
            problems.add(new Problem(ps.step().locationOf(input), where + ", but there is no step \"" + ref.step()
                    + "\"; write it as \"job/step\""));
            return;
        }
        boolean earlierInJob = sameJob.contains(producer) && sameJob.indexOf(producer) < sameJob.indexOf(ps);
        boolean upstream = ancestors(ps.job().id(), needs).contains(producer.job().id());
        if (!earlierInJob && !upstream) {
            problems.add(new Problem(ps.step().locationOf(input), where + ", which does not run before it; add job \""
                    + producer.job().id() + "\" to the needs of job \"" + ps.job().id() + "\""));
            return;
        }
        List<OutputSpec> outputs = producer.type().outputs();
        if (outputs.stream().noneMatch(o -> o.name().equals(ref.output()))) {
            problems.add(new Problem(ps.step().locationOf(input), where + ", but " + producer.type().id() + " has no output \""
                    + ref.output() + "\"; " + (outputs.isEmpty() ? "it has none"
                    : "it has " + String.join(", ", outputs.stream().map(OutputSpec::name).toList()))));
        }
    }

    static Set<String> ancestors(String job, Map<String, Set<String>> needs) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(needs.getOrDefault(job, Set.of()));
        while (!todo.isEmpty()) {
            String j = todo.remove(todo.size() - 1);
            if (seen.add(j)) {
                todo.addAll(needs.getOrDefault(j, Set.of()));
            }
        }
        return seen;
    }

    private static List<String> topologicalOrder(Pipeline pipeline, Map<String, Set<String>> needs, List<Problem> problems) {
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (Job job : pipeline.jobs()) {
            visit(job.id(), pipeline, needs, done, visiting, order, problems);
        }
        return order;
    }

    private static boolean visit(String id, Pipeline pipeline, Map<String, Set<String>> needs, Set<String> done,
                                 Set<String> visiting, List<String> order, List<Problem> problems) {
        if (done.contains(id)) {
            return true;
        }
        if (visiting.contains(id)) {
            List<String> cycle = new ArrayList<>(visiting);
            cycle = new ArrayList<>(cycle.subList(cycle.indexOf(id), cycle.size()));
            cycle.add(id);
            problems.add(new Problem(pipeline.job(id).map(Job::location).orElse(Location.UNKNOWN),
                    "jobs wait for each other in a cycle: " + String.join(" -> ", cycle) + "; remove one of these needs"));
            return false;
        }
        visiting.add(id);
        for (String n : needs.getOrDefault(id, Set.of())) {
            if (!visit(n, pipeline, needs, done, visiting, order, problems)) {
                visiting.remove(id);
                done.add(id);
                return false;
            }
        }
        visiting.remove(id);
        done.add(id);
        order.add(id);
        return true;
    }
}
