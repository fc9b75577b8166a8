package io.slipway.plugin.pypicheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwineCredentialProbeTest {

    @TempDir
    Path home;

    @Test
    void findsTheSourceWithoutTheValue() {
        Optional<String> source = new TwineCredentialProbe().findSource("testpypi",
                Map.of("HOME", home.toString(), "TESTPYPI_TOKEN", "pypi-secret"));
        assertEquals(Optional.of("TESTPYPI_TOKEN"), source);
    }

    @Test
    void findsNothingInAnEmptyEnvironmentAndSaysWhatToSet() {
        TwineCredentialProbe probe = new TwineCredentialProbe();
        assertEquals(Optional.empty(), probe.findSource("pypi", Map.of("HOME", home.toString())));
        assertTrue(probe.hint("pypi").orElseThrow().startsWith("set PYPI_TOKEN"));
    }
}
