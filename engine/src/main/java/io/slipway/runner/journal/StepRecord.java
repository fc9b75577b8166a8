package io.slipway.runner.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The journal's record of one step. Mutated only through {@link Journal}, under its lock. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StepRecord {
    public StepStatus status = StepStatus.PENDING;
    public int attempts;
    public Instant started;
    public Instant ended;
    /** Hash of the resolved inputs and declared files when the step last succeeded. */
    public String fingerprint;
    /** Resolved inputs of the last attempt, secrets replaced by ***. */
    public Map<String, Object> inputs = new LinkedHashMap<>();
    public Map<String, Object> outputs = new LinkedHashMap<>();
    /** The step's private facts ({@link io.slipway.spi.StepJournal}). */
    public Map<String, String> facts = new LinkedHashMap<>();
    public String message;
    public String hint;
}
