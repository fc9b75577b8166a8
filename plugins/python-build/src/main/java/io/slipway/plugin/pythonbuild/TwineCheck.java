package io.slipway.plugin.pythonbuild;

import io.slipway.python.Python;
import io.slipway.spi.ExecRequest;
import io.slipway.spi.ExecResult;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code twine check} of every file of the step, however many packages: a twine process costs
 * ~0.75 s of CPU, nearly all of it twine's imports, and a release of N packages started N of them.
 * twine checks each file in turn ({@code Checking <file>: PASSED}, or another verdict and the reasons
 * after it), so each package gets its own verdict from the output. It fails closed: a file passes only
 * with a {@code PASSED} verdict of its own, so a file twine never reached (it stops at a file it cannot
 * read) or whose line it wrapped fails its package. The verdicts are read when twine exits non-zero;
 * twine 4.0.2 exits 0 only when every file it checked passed.
 */
final class TwineCheck {

    private static final String CHECKING = "Checking ";
    private static final Set<String> PASSED = Set.of("PASSED", "PASSED with warnings");
    private static final int TAIL = 15;

    private TwineCheck() {
    }

    /**
     * Checks the files of each package (label → its files) and returns the packages that failed, each with
     * its step error; the others passed.
     */
    static Map<String, StepException> failures(StepContext ctx, Map<String, List<Path>> files) throws StepException {
        Path workspace = ctx.workspace();
        // Paths as short as they can be: rich wraps a line longer than COLUMNS.
        Map<String, List<String>> args = new LinkedHashMap<>();
        files.forEach((label, list) -> args.put(label, list.stream()
                .map(f -> f.startsWith(workspace) ? workspace.relativize(f).toString() : f.toString()).toList()));
        List<String> command = new ArrayList<>(List.of("check"));
        args.values().forEach(command::addAll);
        ExecRequest request = Python.isolated(Python.module(ctx.env(), "twine", command).in(workspace)).label("twine check");
        ExecResult result = ctx.exec(request);
        Map<String, StepException> failed = new LinkedHashMap<>();
        if (!result.succeeded()) {
            failed(result.output(), args).forEach((label, report) -> failed.put(label, error(label, result.exitCode(), report)));
        }
        return failed;
    }

    /**
     * Of twine's output, for each package (label → the file names twine was given) that did not pass, the
     * lines that say why: each failing file's verdict line and what twine wrote after it, and twine's last
     * lines when a file got no verdict. When every file has passed (twine failed after them), every package
     * fails with the last lines.
     */
    static Map<String, List<String>> failed(List<String> output, Map<String, List<String>> files) {
        Map<String, List<String>> failed = new LinkedHashMap<>();
        List<String> tail = output.isEmpty() ? List.of("(twine wrote nothing)")
                : output.subList(Math.max(0, output.size() - TAIL), output.size());
        files.forEach((label, names) -> {
            List<String> report = new ArrayList<>();
            boolean noVerdict = false;
            for (String name : names) {
                int at = verdictLine(output, name);
                if (at < 0) {
                    noVerdict = true;
                } else if (!PASSED.contains(output.get(at).substring(CHECKING.length() + name.length() + 2).strip())) {
                    report.add(output.get(at));
                    for (int i = at + 1; i < output.size() && !output.get(i).startsWith(CHECKING.strip()); i++) {
                        report.add(output.get(i));
                    }
                }
            }
            if (noVerdict || !report.isEmpty()) {
                List<String> shown = new ArrayList<>(report.subList(0, Math.min(report.size(), TAIL)));
                if (noVerdict) {
                    shown.addAll(tail);
                }
                failed.put(label, List.copyOf(shown));
            }
        });
        if (failed.isEmpty()) {
            files.keySet().forEach(label -> failed.put(label, tail));
        }
        return failed;
    }

    private static int verdictLine(List<String> output, String name) {
        String prefix = CHECKING + name + ": ";
        for (int i = 0; i < output.size(); i++) {
            if (output.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static StepException error(String label, int exitCode, List<String> report) {
        boolean noReadme = report.stream().anyMatch(l -> l.contains("No content rendered"));
        return new StepException("twine check of package \"" + label + "\" failed with exit code " + exitCode + ":\n"
                + String.join("\n", report), noReadme
                ? "the package has no long description: add readme = \"README.md\" (and the file) to [project] in its pyproject.toml"
                : "fix the metadata twine reports (e.g. the README's content type), then run again");
    }
}
