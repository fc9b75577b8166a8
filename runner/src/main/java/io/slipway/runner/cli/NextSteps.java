package io.slipway.runner.cli;

import io.slipway.runner.console.Report;
import io.slipway.runner.journal.JournalData;
import io.slipway.runner.journal.StepRecord;
import io.slipway.runner.journal.StepStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The head of a GitHub job summary for a release that did not finish: which steps wait or failed,
 * each with its message and hint, and the exact command lines that go on (the same command; with
 * {@code --approve} for what waits). The report above it only lists statuses.
 */
final class NextSteps {

    private NextSteps() {
    }

    /**
     * @param args the runner's command line; repeated without {@code --restart} and {@code --from},
     *             which would discard or redo what this run kept
     * @return Markdown, or "" when nothing waits or failed (a rejected release ends; the log says how to undo it)
     */
    static String markdown(JournalData journal, List<String> args) {
        List<String> gates = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, StepRecord> e : journal.steps.entrySet()) {
            StepRecord r = e.getValue();
            if (r.status != StepStatus.WAITING && r.status != StepStatus.FAILED) {
                continue;
            }
            b.append("- `").append(e.getKey()).append("` ").append(r.status.name().toLowerCase(java.util.Locale.ROOT)).append(": ")
                    .append(r.message == null ? "" : r.message).append('\n');
            if (r.hint != null) {
                b.append("  - hint: ").append(r.hint).append('\n');
            }
            if (r.status == StepStatus.WAITING) {
                gates.add(e.getKey().substring(e.getKey().lastIndexOf('/') + 1));
            }
        }
        if (b.isEmpty()) {
            return "";
        }
        List<String> again = again(args);
        StringBuilder md = new StringBuilder("## What next\n\n").append(b)
                .append("\nRun the same command again:\n\n    ")
                .append(String.join(" ", again)).append('\n');
        if (!gates.isEmpty()) {
            List<String> approve = new ArrayList<>(again);
            gates.forEach(g -> approve.addAll(List.of("--approve", g)));
            md.append("\nor approve what waits:\n\n    ").append(String.join(" ", approve)).append('\n')
                    .append("\nIn a workflow from `runner github-workflow`: run it again with the input `approve: ")
                    .append(String.join(" ", gates)).append("`, or, where credentials are missing, add them to the"
                            + " publish job's environment and re-run the job.\n");
        }
        return md.append('\n').toString();
    }

    /** The report with {@code next} right under its title, where a reader of the summary looks first. */
    static String underTitle(String report, String next) {
        int cut = report.indexOf("\n\n");
        return next.isEmpty() || cut < 0 ? report : report.substring(0, cut + 2) + next + report.substring(cut + 2);
    }

    private static List<String> again(List<String> args) {
        return command(args, java.util.Set.of("--from"), java.util.Set.of("--restart"));
    }

    /**
     * The runner's command line as a shell would take it again, without the options named: those in
     * {@code withValue} together with their value (given as {@code --opt V} or {@code --opt=V}), and
     * the {@code switches}. A list the caller may add to.
     */
    static List<String> command(List<String> args, java.util.Set<String> withValue, java.util.Set<String> switches) {
        List<String> words = new ArrayList<>(List.of("runner"));
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (switches.contains(a) || (a.contains("=") && withValue.contains(name))) {
                continue;
            }
            if (withValue.contains(a)) {
                i++;
                continue;
            }
            words.add(Report.shellWord(a));
        }
        return words;
    }
}
