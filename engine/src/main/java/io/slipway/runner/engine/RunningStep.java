package io.slipway.runner.engine;

import io.slipway.runner.console.RunLog;
import io.slipway.spi.ExecRequest;
import io.slipway.spi.ExecResult;
import io.slipway.spi.InputSpec;
import io.slipway.spi.InputType;
import io.slipway.spi.OutputSpec;
import io.slipway.spi.StepType;
import io.slipway.spi.PipelineEnd;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import io.slipway.spi.StepJournal;
import io.slipway.spi.StepLog;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link StepContext} of one attempt of one step. */
final class RunningStep implements StepContext {

    private final RunScope scope;
    private final String stepId;
    private final Map<String, InputSpec> specs;
    private final Map<String, Object> inputs;
    private final Map<String, String> env;
    private final Map<String, Object> outputs = new LinkedHashMap<>();
    private final String typeId;
    private final Map<String, OutputSpec> declaredOutputs = new LinkedHashMap<>();
    private final StepLog log;
    private final StepJournal facts;
    private final Exec exec;

    /**
     * @param inputs resolved, type-checked values by input name (defaults applied)
     * @param extraEnv job and step env from the script
     */
    RunningStep(RunScope scope, String stepId, StepType type, Map<String, Object> inputs, Map<String, String> extraEnv, Exec exec) {
        this.scope = scope;
        this.typeId = type.id();
        type.outputs().forEach(o -> declaredOutputs.put(o.name(), o));
        Collection<InputSpec> specs = type.inputs();
        this.exec = exec;
        this.stepId = stepId;
        this.specs = new LinkedHashMap<>();
        specs.forEach(s -> this.specs.put(s.name(), s));
        this.inputs = inputs;
        Map<String, String> e = new HashMap<>(scope.env);
        e.putAll(extraEnv);
        this.env = Map.copyOf(e);
        RunLog runLog = scope.log;
        // Every physical line is the step's own, also when a step logs several at once.
        this.log = new StepLog() {
            public void info(String text) {
                text.lines().forEach(l -> runLog.stepOutput(stepId, RunLog.Level.INFO, l));
            }

            public void warn(String text) {
                text.lines().forEach(l -> runLog.warn(stepId + ": " + l));
            }

            public void detail(String text) {
                text.lines().forEach(l -> runLog.stepOutput(stepId, RunLog.Level.DETAIL, l));
            }
        };
        this.facts = new StepJournal() {
            public Optional<String> get(String key) {
                return scope.journal.read(d -> Optional.ofNullable(d.steps.get(stepId))
                        .map(r -> r.facts.get(key)));
            }

            public void put(String key, String value) {
                scope.journal.updateStep(stepId, r -> r.facts.put(key, scope.masker().mask(value)));
            }

            public void remove(String key) {
                scope.journal.updateStep(stepId, r -> r.facts.remove(key));
            }

            public Map<String, String> entries() {
                return scope.journal.read(d -> Optional.ofNullable(d.steps.get(stepId))
                        .map(r -> java.util.Collections.unmodifiableMap(new LinkedHashMap<>(r.facts)))
                        .orElse(Map.of()));
            }
        };
    }

    Map<String, Object> outputs() {
        return outputs;
    }

    private Object value(String name) {
        if (!specs.containsKey(name)) {
            throw new IllegalArgumentException("step " + stepId + " has no input named '" + name + "'");
        }
        return inputs.get(name);
    }

    @Override
    public String stepId() {
        return stepId;
    }

    @Override
    public String pipeline() {
        return scope.pipeline;
    }

    @Override
    public String version() {
        return scope.version;
    }

    @Override
    public String string(String name) {
        Object v = value(name);
        return v == null ? null : v.toString();
    }

    @Override
    public boolean bool(String name) {
        Object v = value(name);
        return v != null && (Boolean) v;
    }

    @Override
    public int integer(String name) {
        Object v = value(name);
        if (v == null) {
            throw new IllegalArgumentException("input '" + name + "' of " + stepId + " has no value and no default");
        }
        return (Integer) v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        Object v = value(name);
        return v == null ? List.of() : (List<String>) v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, String> map(String name) {
        Object v = value(name);
        return v == null ? Map.of() : (Map<String, String>) v;
    }

    /**
     * @throws IllegalArgumentException when the step type sets an output it does not declare, or one
     *                                  of another type than declared: a bug in its plugin, which fails the step
     */
    @Override
    public void output(String name, Object value) {
        OutputSpec spec = declaredOutputs.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("step type " + typeId + " set the output '" + name + "', which it does not declare"
                    + (declaredOutputs.isEmpty() ? "" : " (it declares " + String.join(", ", declaredOutputs.keySet()) + ")"));
        }
        if (value != null && !fits(spec.type(), value)) {
            throw new IllegalArgumentException("step type " + typeId + " set the output '" + name + "' to a "
                    + value.getClass().getSimpleName() + ", but declares it as " + spec.type());
        }
        outputs.put(name, value);
    }

    private static boolean fits(InputType type, Object value) {
        return switch (type) {
            case STRING -> value instanceof String;
            case BOOLEAN -> value instanceof Boolean;
            case INTEGER -> value instanceof Integer || value instanceof Long;
            case LIST -> value instanceof List<?>;
            case MAP -> value instanceof Map<?, ?>;
        };
    }

    @Override
    public Path workspace() {
        return scope.workspace;
    }

    @Override
    public Map<String, String> env() {
        return env;
    }

    @Override
    public StepLog log() {
        return log;
    }

    @Override
    public void mask(String secret) {
        scope.masker().add(secret);
    }

    @Override
    public ExecResult exec(ExecRequest request) throws StepException {
        log.detail("$ " + request.shown());
        String prefix = request.label() == null ? "" : "[" + request.label() + "] ";
        String longer = specs.containsKey("timeout-seconds") ? "raise the step's timeout-seconds input if it needs longer"
                : "the step type sets this limit itself; if the command needs longer, tell the plugin's author";
        return exec.run(request, scope.workspace, env, line -> log.info(prefix + line), longer);
    }

    @Override
    public StepJournal journal() {
        return facts;
    }

    @Override
    public boolean dryRun() {
        return scope.dryRun;
    }

    @Override
    public void preserve(Path file) {
        scope.preserve(file);
    }

    @Override
    public void atPipelineEnd(PipelineEnd hook) {
        scope.addHook(stepId, hook);
    }

    @Override
    public boolean cancelled() {
        return scope.cancelled();
    }
}
