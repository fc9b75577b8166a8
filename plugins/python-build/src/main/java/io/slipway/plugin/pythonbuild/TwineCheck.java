package io.slipway.plugin.pythonbuild;

import io.slipway.python.Python;
import io.slipway.spi.ExecRequest;
import io.slipway.spi.ExecResult;
import io.slipway.spi.StepContext;
import io.slipway.spi.StepException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code twine check} of every file the step built, however many packages: a twine process costs
 * ~0.75 s of CPU, nearly all of it twine's imports, and a release of N packages started N of them.
 * twine checks each file in turn ({@code Checking <file>: PASSED|FAILED}, then its reasons), so its
 * output is split by file and each package gets its own verdict and reasons.
 */
final class TwineCheck {

    private static final String CHECKING = "Checking ";

    private TwineCheck() {
    }

    /**
     * Checks the files of each package (label → its files) and returns the packages that failed, each with
     * its step error; the others passed. When twine fails without naming a file (it did not run, or crashed),
     * every package fails with twine's last lines.
     */
    static Map<String, StepException> failures(StepContext ctx, Path workspace, Map<String, List<Path>> files)
            throws StepException {
        List<String> args = new ArrayList<>(List.of("check"));
        files.values().forEach(list -> list.forEach(f -> args.add(f.toString())));
        // Unbuffered: twine's verdict for a file (stdout) and its reasons (stderr) reach the log in that order.
        ExecRequest request = Python.isolated(Python.module(ctx.env(), "twine", args).in(workspace))
                .env("PYTHONUNBUFFERED", "1").label("twine check");
        ExecResult result = ctx.exec(request);
        Map<String, StepException> failed = new LinkedHashMap<>();
        if (result.succeeded()) {
            return failed;
        }
        Map<String, List<String>> byFile = byFile(result.output());
        for (Map.Entry<String, List<Path>> pkg : files.entrySet()) {
            List<String> report = new ArrayList<>();
            for (Path file : pkg.getValue()) {
                List<String> section = byFile.get(file.toString());
                if (section != null && !section.get(0).endsWith(": PASSED") && !section.get(0).endsWith(": PASSED with warnings")) {
                    report.addAll(section);
                }
            }
            if (!report.isEmpty()) {
                failed.put(pkg.getKey(), error(pkg.getKey(), result.exitCode(), report));
            }
        }
        if (failed.isEmpty()) {
            files.keySet().forEach(label -> failed.put(label, error(label, result.exitCode(),
                    result.output().subList(Math.max(0, result.output().size() - 15), result.output().size()))));
        }
        return failed;
    }

    /** Each file's lines: its {@code Checking} line and what twine wrote after it, up to the next file's. */
    private static Map<String, List<String>> byFile(List<String> output) {
        Map<String, List<String>> sections = new HashMap<>();
        List<String> current = null;
        for (String line : output) {
            int colon = line.lastIndexOf(": ");
            if (line.startsWith(CHECKING) && colon > CHECKING.length()) {
                current = new ArrayList<>();
                sections.put(line.substring(CHECKING.length(), colon), current);
            }
            if (current != null) {
                current.add(line);
            }
        }
        return sections;
    }

    private static StepException error(String label, int exitCode, List<String> report) {
        boolean noReadme = report.stream().anyMatch(l -> l.contains("No content rendered"));
        List<String> shown = report.subList(0, Math.min(report.size(), 15));
        return new StepException("twine check of package \"" + label + "\" failed with exit code " + exitCode + ":\n"
                + String.join("\n", shown), noReadme
                ? "the package has no long description: add readme = \"README.md\" (and the file) to [project] in its pyproject.toml"
                : "fix the metadata twine reports (e.g. the README's content type), then run again");
    }
}
