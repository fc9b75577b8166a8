package io.slipway.runner.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.slipway.runner.journal.JournalData;
import io.slipway.runner.journal.StepRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.json} and {@code report.md} for a release, written after every run from the journal:
 * steps with status, attempts and duration, their outputs (artifacts with hashes, upload URLs,
 * tags), approval decisions, and every run of the release (the resume history). Masked like
 * everything else.
 */
public final class Report {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT).build();

    private Report() {
    }

    /** Writes both files into {@code dir} and returns the Markdown text. */
    public static String write(JournalData journal, String outcome, Path dir, Masker masker) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("pipeline", journal.pipeline);
        report.put("version", journal.version);
        report.put("dryRun", journal.dryRun);
        report.put("outcome", outcome);
        report.put("runs", journal.runs);
        Map<String, Object> steps = new LinkedHashMap<>();
        journal.steps.forEach((id, r) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("status", r.status.name().toLowerCase(Locale.ROOT));
            s.put("attempts", r.attempts);
            s.put("seconds", seconds(r));
            if (r.message != null) {
                s.put("message", r.message);
            }
            if (!r.outputs.isEmpty()) {
                s.put("outputs", r.outputs);
            }
            if (r.facts.containsKey("decision")) {
                Map<String, String> approval = new LinkedHashMap<>();
                for (String key : List.of("decision", "by", "how", "at", "reason")) {
                    if (r.facts.containsKey(key)) {
                        approval.put(key, r.facts.get(key));
                    }
                }
                s.put("approval", approval);
            }
            steps.put(id, s);
        });
        report.put("steps", steps);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), masker.mask(JSON.writeValueAsString(report)), StandardCharsets.UTF_8);
        String md = masker.mask(markdown(journal, outcome));
        Files.writeString(dir.resolve("report.md"), md, StandardCharsets.UTF_8);
        return md;
    }

    /** Appends the Markdown report to a GitHub Actions step summary file. */
    public static void appendTo(Path summary, String markdown) throws IOException {
        Files.writeString(summary, markdown + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static Double seconds(StepRecord r) {
        return r.started != null && r.ended != null ? Duration.between(r.started, r.ended).toMillis() / 1000.0 : null;
    }

    private static String markdown(JournalData j, String outcome) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(j.pipeline).append(' ').append(j.version).append(j.dryRun ? " (dry run)" : "")
                .append(": ").append(outcome).append("\n\n");
        b.append("| step | status | attempts | seconds |\n|---|---|---|---|\n");
        j.steps.forEach((id, r) -> b.append("| ").append(id).append(" | ").append(r.status.name().toLowerCase(Locale.ROOT))
                .append(" | ").append(r.attempts).append(" | ")
                .append(seconds(r) == null ? "" : String.format(Locale.ROOT, "%.1f", seconds(r))).append(" |\n"));
        j.steps.forEach((id, r) -> {
            if (r.outputs.isEmpty() && !r.facts.containsKey("decision")) {
                return;
            }
            b.append("\n## ").append(id).append("\n\n");
            if (r.facts.containsKey("decision")) {
                b.append("- ").append(r.facts.get("decision")).append(" by ").append(r.facts.getOrDefault("by", "?"))
                        .append(" via ").append(r.facts.getOrDefault("how", "?")).append(" at ")
                        .append(r.facts.getOrDefault("at", "?"))
                        .append(r.facts.containsKey("reason") ? ": " + r.facts.get("reason") : "").append('\n');
            }
            r.outputs.forEach((k, v) -> {
                if (v instanceof Map<?, ?> m) {
                    b.append("- ").append(k).append(":\n");
                    m.forEach((mk, mv) -> b.append("  - `").append(mk).append("`: ").append(mv).append('\n'));
                } else if (v instanceof List<?> l) {
                    b.append("- ").append(k).append(":\n");
                    l.forEach(x -> b.append("  - ").append(x).append('\n'));
                } else {
                    b.append("- ").append(k).append(": ").append(v).append('\n');
                }
            });
        });
        b.append("\n## Runs\n\n");
        for (JournalData.RunRecord run : j.runs) {
            b.append("- ").append(run.started).append(" by ").append(run.user).append(": ")
                    .append(run.outcome == null ? "running" : run.outcome);
            if (run.params != null && !run.params.isEmpty()) {
                b.append(", with `").append(setOptions(run.params)).append('`');
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** {@code --set k=v} for each parameter, quoted for a POSIX shell where needed: a command line to copy. */
    public static String setOptions(Map<String, String> params) {
        List<String> words = new java.util.ArrayList<>();
        params.forEach((k, v) -> words.add("--set " + shellWord(k + "=" + v)));
        return String.join(" ", words);
    }

    /** A word for a POSIX shell: as it is when nothing in it is special, else in single quotes. */
    public static String shellWord(String s) {
        return SHELL_SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private static final java.util.regex.Pattern SHELL_SAFE = java.util.regex.Pattern.compile("[A-Za-z0-9_./=:,@+%-]+");
}
