package io.slipway.plugin.twineupload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwineCredentialProbeTest {

    @TempDir
    Path home;

    @Test
    void aTargetsTokenVariableIsNamedAsTheSourceWithoutItsValue() {
        assertEquals(Optional.of("PYPI_TOKEN"), new TwineCredentialProbe()
                .findSource("pypi", Map.of("HOME", home.toString(), "PYPI_TOKEN", "pypi-secret")));
    }

    @Test
    void noCredentialsAnywhereIsEmpty() {
        assertEquals(Optional.empty(), new TwineCredentialProbe().findSource("testpypi", Map.of("HOME", home.toString())));
    }
}
