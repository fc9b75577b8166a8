package io.slipway.runner.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The journal file's content. {@code format} and {@code stepCount} are checked when read. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class JournalData {
    public static final int FORMAT = 1;

    public int format = FORMAT;
    public String pipeline;
    public String version;
    public boolean dryRun;
    /** The repository and the script, as {@link Release} records them. */
    public String repository;
    public String script;
    public List<RunRecord> runs = new ArrayList<>();
    public Map<String, StepRecord> steps = new LinkedHashMap<>();
    /** The commit HEAD was on when the release's first run started: where {@code runner abandon} goes back to. */
    public String startHead;
    /**
     * Original bytes (base64) of the files the release's steps changed, {@code null} for one that did
     * not exist: a dry run puts them back at its end; a real run keeps them until it is done, for
     * {@code runner abandon}.
     */
    public Map<String, String> preserved = new LinkedHashMap<>();
    public int stepCount;

    /** One invocation of the runner on this release. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class RunRecord {
        public Instant started;
        public Instant ended;
        public String outcome;
        public String user;
        /**
         * The run's {@code --set} options, masked as the journal is (a URL without its user info, a
         * known secret as ***): what {@code runner abandon} must be given to see the release's steps.
         * Absent in journals written before they were recorded.
         */
        public Map<String, String> params;
    }
}
