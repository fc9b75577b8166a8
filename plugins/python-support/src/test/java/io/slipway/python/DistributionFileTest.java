package io.slipway.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DistributionFileTest {

    @ParameterizedTest(name = "{0} is {1} {2} ({3})")
    @CsvSource({
            // PEP 427 wheels, with and without a build tag, compressed tag sets, platform tags
            "acme_core-0.4.0-py3-none-any.whl, acme-core, 0.4.0, WHEEL",
            "tomli_w-1.2.1-py3-none-any.whl, tomli-w, 1.2.1, WHEEL",
            "six-1.16.0-py2.py3-none-any.whl, six, 1.16.0, WHEEL",
            "numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl, numpy, 1.26.4, WHEEL",
            "acme-2.0rc1-1build-py3-none-any.whl, acme, 2.0rc1, WHEEL",
            // PEP 625 sdists
            "acme_core-0.4.0.tar.gz, acme-core, 0.4.0, SDIST",
            "tomli_w-1.2.1.tar.gz, tomli-w, 1.2.1, SDIST",
            // legacy sdists: dashes kept in the name (setuptools 66), zip archives
            "acme-core-0.4.0.tar.gz, acme-core, 0.4.0, SDIST",
            "acme-scheduler-1.0.0.post1.tar.gz, acme-scheduler, 1.0.0.post1, SDIST",
            "Django-1.11.zip, django, 1.11, SDIST",
            "dist/acme-core-0.4.0.dev3.tar.gz, acme-core, 0.4.0.dev3, SDIST",
    })
    void readsNameVersionAndKind(String file, String project, String version, DistributionFile.Kind kind) {
        DistributionFile parsed = DistributionFile.parse(file);
        assertEquals(project, parsed.project().normalized());
        assertEquals(Pep440Version.parse(version), parsed.version());
        assertEquals(kind, parsed.kind());
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @CsvSource(delimiter = '|', value = {
            "acme-0.4.0.egg | ends neither in .whl",
            "acme-0.4.0-py3-any.whl | 5 or 6 dash-separated parts",
            "acme-0.4.0-x1-py3-none-any.whl | build tag must start with a digit",
            "acme-latest-py3-none-any.whl | is not a valid PEP 440 version",
            "acme-core.tar.gz | no name-version split",
    })
    void refusesNamesThatAreNotDistributions(String file, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistributionFile.parse(file));
        assertTrue(e.getMessage().startsWith("\"" + file + "\" is not a distribution file name"), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
