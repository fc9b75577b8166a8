package io.slipway.plugin.twineupload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void githubsOidcVariablesAloneDoNotSatisfyThePolicyAndTheHintSaysWhy() {
        Map<String, String> oidc = Map.of("HOME", home.toString(), "ACTIONS_ID_TOKEN_REQUEST_URL", "https://token.example/",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "jwt-value");
        TwineCredentialProbe probe = new TwineCredentialProbe();

        assertEquals(Optional.empty(), probe.findSource("pypi", oidc));
        assertTrue(probe.hint("pypi", oidc).orElseThrow().startsWith("trusted publishing (GitHub Actions OIDC) is not supported yet,"
                + " so set PYPI_TOKEN"), probe.hint("pypi", oidc)::toString);
    }

    @Test
    void theSecretsToMaskIncludeThePasswordsOfThePypirc() throws Exception {
        Files.writeString(home.resolve(".pypirc"), "[pypi]\nusername = __token__\npassword = pypi-from-file\n");

        assertEquals(List.of("pypi-from-file"), new TwineCredentialProbe().secrets(Map.of("HOME", home.toString())));
    }

    @Test
    void noCredentialsAnywhereIsEmpty() {
        assertEquals(Optional.empty(), new TwineCredentialProbe().findSource("testpypi", Map.of("HOME", home.toString())));
    }
}
