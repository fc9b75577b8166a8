package io.slipway.plugin.pythonbuild;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading twine 4.0.2's {@code check} output per package; the outputs are twine's own, from runs by hand. */
class TwineCheckTest {

    private static final Map<String, List<String>> FILES = new LinkedHashMap<>();

    static {
        FILES.put("acme-core", List.of("acme-core/dist/acme_core-1.0-py3-none-any.whl", "acme-core/dist/acme_core-1.0.tar.gz"));
        FILES.put("flit-core", List.of("flit_core/dist/flit_core-3.10.1-py3-none-any.whl"));
        FILES.put("acme-cli", List.of("acme-cli/dist/acme_cli-1.0-py3-none-any.whl"));
    }

    @Test
    void aFailedFileFailsItsPackageWithItsReasonsAndAPassWithWarningsPasses() {
        List<String> output = List.of(
                "Checking acme-core/dist/acme_core-1.0-py3-none-any.whl: FAILED",
                "ERROR    `long_description` has syntax errors in markup and would not be rendered on PyPI.",
                "         line 4: Warning: Inline interpreted text or phrase reference start-string without end-string.",
                "Checking flit_core/dist/flit_core-3.10.1-py3-none-any.whl: PASSED with warnings",
                "WARNING  `long_description_content_type` missing. defaulting to `text/x-rst`.",
                "Checking acme-cli/dist/acme_cli-1.0-py3-none-any.whl: PASSED",
                "Checking acme-core/dist/acme_core-1.0.tar.gz: FAILED",
                "ERROR    `long_description` has syntax errors in markup and would not be rendered on PyPI.",
                "         line 4: Warning: Inline interpreted text or phrase reference start-string without end-string.");

        Map<String, List<String>> failed = TwineCheck.failed(output, FILES);

        assertEquals(List.of("acme-core"), List.copyOf(failed.keySet()));
        assertEquals(List.of(output.get(0), output.get(1), output.get(2), output.get(6), output.get(7), output.get(8)),
                failed.get("acme-core"));
    }

    /** twine stops at a file it cannot read, with the error on that file's line: that package and those after it fail. */
    @Test
    void aFileTwineCannotReadAndTheFilesItNeverReachedFailTheirPackages() {
        List<String> output = List.of(
                "Checking acme-core/dist/acme_core-1.0-py3-none-any.whl: PASSED",
                "Checking flit_core/dist/flit_core-3.10.1-py3-none-any.whl: ERROR    InvalidDistribution: Metadata is missing"
                        + " required fields: Name, Version.");

        Map<String, List<String>> failed = TwineCheck.failed(output, FILES);

        assertEquals(List.of("acme-core", "flit-core", "acme-cli"), List.copyOf(failed.keySet()));
        assertEquals(List.of(output.get(1)), failed.get("flit-core"));
        assertEquals(output, failed.get("acme-cli"), "no verdict: twine's last lines");
    }

    /** A line rich wrapped has no verdict for the file: its package fails rather than pass unseen. */
    @Test
    void aWrappedVerdictLineFailsItsPackage() {
        List<String> output = List.of(
                "Checking acme-core/dist/acme_core-1.0-py3-none-any.whl: PASSED",
                "Checking acme-core/dist/acme_core-1.0.tar.gz: PASSED",
                "Checking flit_core/dist/flit_core-3.10.1-py3-none-any.whl: PASSED",
                "Checking",
                "acme-cli/dist/acme_cli-1.0-py3-none-any.whl: FAILED",
                "ERROR    `long_description` has syntax errors in markup and would not be rendered on PyPI.");

        Map<String, List<String>> failed = TwineCheck.failed(output, FILES);

        assertEquals(List.of("acme-cli"), List.copyOf(failed.keySet()));
        assertEquals(output, failed.get("acme-cli"), "no verdict: twine's last lines");
    }

    /** twine failed although every file passed: nothing can be trusted, every package fails. */
    @Test
    void everyPackageFailsWhenTwineFailedAfterPassingEveryFile() {
        List<String> output = List.of(
                "Checking acme-core/dist/acme_core-1.0-py3-none-any.whl: PASSED",
                "Checking acme-core/dist/acme_core-1.0.tar.gz: PASSED",
                "Checking flit_core/dist/flit_core-3.10.1-py3-none-any.whl: PASSED",
                "Checking acme-cli/dist/acme_cli-1.0-py3-none-any.whl: PASSED",
                "Traceback (most recent call last):");

        Map<String, List<String>> failed = TwineCheck.failed(output, FILES);

        assertEquals(List.of("acme-core", "flit-core", "acme-cli"), List.copyOf(failed.keySet()));
        assertEquals(output, failed.get("acme-cli"));
    }

    @Test
    void twineFailingSilentlyFailsEveryPackageAndSaysSo() {
        Map<String, List<String>> failed = TwineCheck.failed(List.of(), FILES);

        assertEquals(List.of("acme-core", "flit-core", "acme-cli"), List.copyOf(failed.keySet()));
        assertEquals(List.of("(twine wrote nothing)"), failed.get("flit-core"));
    }
}
